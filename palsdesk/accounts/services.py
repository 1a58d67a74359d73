"""Account writes: API tokens. Each writes its audit event in the same transaction."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.models import ApiToken, User
from palsdesk.audit import services as audit


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(user: User, *, name: str = "", actor: User | None = None) -> str:
    """Make a new API token for the user and return it; it cannot be read back later."""
    token = secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(user=user, name=name, prefix=token[:8], token_hash=hash_token(token))
    audit.record(actor=actor, action="api_token.created", target=api_token, context={"user": user.username})
    return token


@transaction.atomic
def revoke_api_token(api_token: ApiToken, *, actor: User | None) -> None:
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoked", target=api_token)
