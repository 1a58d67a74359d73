"""Cases are not in the admin: every change to a case goes through cases.services, which checks and audits it."""
