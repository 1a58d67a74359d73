"""Marks each request's audit events with the channel they came through (web or API)."""

from palsdesk.audit.models import AuditEvent
from palsdesk.audit.services import current_channel


class AuditChannelMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            channel = AuditEvent.Channel.API
        elif request.path.startswith("/admin/"):
            channel = AuditEvent.Channel.ADMIN
        else:
            channel = AuditEvent.Channel.WEB
        token = current_channel.set(channel)
        try:
            return self.get_response(request)
        finally:
            current_channel.reset(token)
