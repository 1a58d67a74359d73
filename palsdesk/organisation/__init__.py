"""The trust's own structure: the trust, its divisions, sites and services."""
