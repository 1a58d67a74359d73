"""Keeping search documents in step: each save of what a document is built from refreshes it, in the same transaction.

A cache of what the services write, not a rule of the domain, so it listens rather than asking every
service (in every app that adds to a timeline) to remember it. Writes that bypass save() (bulk loads,
queryset updates of the clocks) do not change searched words, or rebuild the documents themselves
(`manage.py rebuild_search_index`, the data generator).
"""

from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save

from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.people.models import CaseParty, Person
from palsdesk.search import indexing

# How alike a word in the names must be to the one searched for (pg_trgm word similarity, 0 to 1).
# 0.5 finds Smyth for Smith and Thomson for Thompson; pg_trgm's default, 0.6, finds neither.
SIMILARITY_THRESHOLD = 0.5


def _case_saved(sender, instance, **kwargs):
    indexing.refresh([instance.pk])


def _entry_saved(sender, instance, **kwargs):
    if instance.kind in indexing.SEARCHED_ENTRY_KINDS:
        indexing.refresh([instance.case_id])


def _party_saved(sender, instance, **kwargs):
    indexing.refresh([instance.case_id])


def _removed_from_case(sender, instance, **kwargs):
    # After the commit: the case itself may be going in the same transaction, and then has no document to build.
    case_id = instance.case_id
    transaction.on_commit(lambda: indexing.refresh([case_id]))


def _person_saved(sender, instance, created, **kwargs):
    # A new person is on no case yet: their CaseParty rows refresh the documents when they are added.
    if not created and indexing.keeps_documents():
        indexing.refresh(CaseParty.objects.filter(person=instance).values_list("case_id", flat=True))


def _set_similarity_threshold(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(SIMILARITY_THRESHOLD)]
            )


def connect() -> None:
    post_save.connect(_case_saved, sender=Case, dispatch_uid="search-case-saved")
    post_save.connect(_entry_saved, sender=TimelineEntry, dispatch_uid="search-entry-saved")
    post_delete.connect(_removed_from_case, sender=TimelineEntry, dispatch_uid="search-entry-deleted")
    post_save.connect(_party_saved, sender=CaseParty, dispatch_uid="search-party-saved")
    post_delete.connect(_removed_from_case, sender=CaseParty, dispatch_uid="search-party-deleted")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="search-person-saved")
    connection_created.connect(_set_similarity_threshold, dispatch_uid="search-similarity-threshold")
