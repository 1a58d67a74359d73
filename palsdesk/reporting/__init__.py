"""Reports: the daily report now; the KO41a return, dashboards and Board reports as they come."""
