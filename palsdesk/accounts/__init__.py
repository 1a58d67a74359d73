"""Staff accounts, their roles, division membership and what each role may do."""
