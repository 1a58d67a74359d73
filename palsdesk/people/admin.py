"""Communication needs are reference data kept in the admin. People themselves are changed on their cases."""

from django.contrib import admin

from palsdesk.organisation.admin import ReferenceDataAdmin
from palsdesk.people.models import CommunicationNeed


@admin.register(CommunicationNeed)
class CommunicationNeedAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "disabled_on"]
    search_fields = ["name", "code"]
