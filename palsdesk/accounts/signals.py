"""Sign-ins, sign-outs and failed sign-ins go on the audit trail (security events, not domain rules)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from palsdesk.audit import services as audit


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    audit.record(actor=user, action="user.signed_in", target=user)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="user.signed_out", target=user)


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit.record(
        actor=None, action="user.sign_in_failed", target=None, context={"username": credentials.get("username", "")}
    )
