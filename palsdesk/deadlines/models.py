"""Bank holidays in England (seeded from the `holidays` package, editable) and response targets per kind of case."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from palsdesk.core.models import Tracked


class BankHoliday(Tracked):
    """A weekday that is not a working day in England: a bank holiday, Christmas Day or Good Friday."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"


class ResponseTarget(Tracked):
    """The trust's target, in working days from receipt, for responding to a kind of case."""

    kind = models.CharField(max_length=24, unique=True)
    working_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(250)])

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.working_days} working days"
