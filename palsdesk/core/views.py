"""Pages that belong to no one part of the domain: the health check and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthcheck(request):
    """For the load balancer: the app is up and can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
