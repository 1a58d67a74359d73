"""The admin site, open to the roles that manage reference data or read the audit trail (not to a staff flag)."""

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

from palsdesk.accounts.permissions import Permission, can


class PalsDeskAdminSite(AdminSite):
    site_header = "PALS Desk administration"
    site_title = "PALS Desk admin"
    index_title = "Reference data, accounts and the audit trail"
    site_url = "/"

    def has_permission(self, request):
        user = request.user
        return user.is_active and (
            user.is_superuser or can(user, Permission.ADMINISTER) or can(user, Permission.VIEW_AUDIT_TRAIL)
        )

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """One sign-in page serves the whole service; the admin's own page only sends people to it."""
        next_url = request.GET.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            # Signed in, but the role has no business here: sending them to sign in again would loop.
            raise PermissionDenied("Your role does not use the admin.")
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


class PalsDeskAdminConfig(AdminConfig):
    default_site = "palsdesk.accounts.admin_site.PalsDeskAdminSite"
