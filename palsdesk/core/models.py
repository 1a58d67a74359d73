"""Abstract base models for every app: who made a record and when; reference data that is retired, not deleted."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Tracked(models.Model):
    """Who created and last changed a record, and when."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    modified_at = models.DateTimeField(auto_now=True, editable=False)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True


class ReferenceDataQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Entries still in use on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(models.Q(disabled_on__isnull=True) | models.Q(disabled_on__gt=on))


class ReferenceData(models.Model):
    """A code list entry. Old cases keep pointing at it, so it is disabled from a date, never deleted."""

    disabled_on = models.DateField(
        null=True, blank=True, help_text="From this date the entry can no longer be chosen for new records."
    )

    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.disabled_on is None or self.disabled_on > timezone.localdate()
