"""The audit event: one row per write or case view, never changed or deleted by the app."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditIsAppendOnly(Exception):
    """Raised by any attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditIsAppendOnly("Audit events cannot be changed.")

    def delete(self):
        raise AuditIsAppendOnly("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditIsAppendOnly("Audit events cannot be changed.")

    def update_or_create(self, *args, **kwargs):
        raise AuditIsAppendOnly("Audit events cannot be changed.")


class AuditEvent(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        ADMIN = "admin", "Admin"
        SYSTEM = "system", "System or command"

    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    # Null actor means the system itself (a scheduled job or a migration).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # The username at the time, so the trail reads the same after a rename.
    actor_label = models.CharField(max_length=150, editable=False)
    action = models.CharField(max_length=64, editable=False)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SYSTEM, editable=False)
    target_type = models.CharField(max_length=64, editable=False)
    target_id = models.CharField(max_length=64, editable=False)
    target_label = models.CharField(max_length=200, blank=True, editable=False)
    # No database constraint: the trail must outlive a case removed under the retention schedule.
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
        editable=False,
    )
    changes = models.JSONField(default=dict, blank=True, editable=False, help_text="Field: [old, new].")
    context = models.JSONField(default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-occurred_at"], name="audit_case_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["-occurred_at"], name="audit_time"),
        ]
        permissions = [("view_audit_trail", "Can read the audit trail")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditIsAppendOnly("Audit events cannot be deleted.")
