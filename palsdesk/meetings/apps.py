"""App configuration for meetings."""

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "palsdesk.meetings"
    verbose_name = "Resolution meetings"

    def ready(self):
        from palsdesk.cases import extensions
        from palsdesk.meetings.extensions import meeting_work_items, meetings_section

        extensions.register_case_section(meetings_section)
        extensions.register_work_items(meeting_work_items)
