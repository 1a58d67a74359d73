"""Errors that services raise when a person asks for something the rules do not allow."""


class RuleBroken(Exception):
    """A request that breaks a casework rule. The message is written for the person who made it."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(RuleBroken):
    """Someone else changed the record after this person opened it; saving would overwrite their change."""
