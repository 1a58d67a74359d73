"""A member of staff (or volunteer) with one role and membership of one or more divisions."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from palsdesk.accounts.permissions import Permission, Role, can


class User(AbstractUser):
    role = models.CharField(max_length=24, choices=Role.CHOICES, default=Role.PALS_OFFICER)
    job_title = models.CharField(max_length=120, blank=True)
    divisions = models.ManyToManyField(
        "organisation.Division",
        blank=True,
        related_name="members",
        help_text="A divisional manager sees only these divisions' cases; officers get their unassigned cases.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def can(self, permission: Permission) -> bool:
        return can(self, permission)


class ApiToken(models.Model):
    """A token for the REST API. Only a hash is stored; the token itself is shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.user}"
