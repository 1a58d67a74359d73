"""The append-only audit trail: every write and every time a case is opened."""
