"""Writing search documents: one case's after a change, or every case's after a bulk load.

Each document is built by PostgreSQL itself in one statement from the case row, its timeline and its
people, so a refresh costs one round trip however much the case holds. On any other database there
are no documents to write (search reads the source tables there), and these functions do nothing.
"""

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.db import connection, connections

from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.people.models import CaseParty, Person
from palsdesk.search.models import SearchDocument

# The timeline entries that carry a caseworker's own words; the others are what the system wrote.
SEARCHED_ENTRY_KINDS = (
    TimelineEntry.EntryKind.NOTE,
    TimelineEntry.EntryKind.CALL,
    TimelineEntry.EntryKind.EMAIL,
    TimelineEntry.EntryKind.ESCALATION,
)
TEXT_SEARCH_CONFIG = "english"
# Names shorter than this are found by their start only: their sounds are shared by too many.
SOUND_LETTERS = 4
# A tsvector holds at most 1 MB; a case's notes beyond this many characters are not searched.
NOTES_SEARCHED_CHARACTERS = 200_000

_DOCUMENT_SQL = """
INSERT INTO {document} (case_id, vector, names, sounds, refreshed_at)
SELECT c.id,
    setweight(to_tsvector(%(config)s::regconfig, c.summary), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, c.account || ' ' || c.outcome_wanted), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, left(coalesce(notes.text, ''), %(notes_limit)s)), 'C')
    || setweight(to_tsvector('simple', coalesce(people.names, '')), 'A'),
    coalesce(people.names, ''),
    coalesce(people.sounds, ''),
    now()
FROM {case} c
LEFT JOIN LATERAL (
    SELECT string_agg(t.contact || ' ' || t.body, ' ') AS text
    FROM {timeline} t
    WHERE t.case_id = c.id AND t.kind = ANY(%(kinds)s)
) notes ON true
LEFT JOIN LATERAL (
    SELECT string_agg(
        ' ' || lower(p.first_name) || ' ' || lower(p.last_name)
        || CASE WHEN p.nhs_number <> '' THEN ' ' || p.nhs_number ELSE '' END,
        '' ORDER BY p.id
    ) AS names,
    string_agg(
        (SELECT string_agg(' ' || dmetaphone(word) || ' ', '')
         FROM regexp_split_to_table(lower(p.first_name || ' ' || p.last_name), '[^[:alpha:]]+') AS word
         WHERE length(word) >= %(sound_letters)s),
        '' ORDER BY p.id
    ) AS sounds
    FROM {person} p
    WHERE p.id IN (SELECT cp.person_id FROM {party} cp WHERE cp.case_id = c.id)
) people ON true
WHERE {which}
ON CONFLICT (case_id) DO UPDATE
    SET vector = EXCLUDED.vector, names = EXCLUDED.names, sounds = EXCLUDED.sounds, refreshed_at = EXCLUDED.refreshed_at
"""


def _statement(which: str) -> str:
    quote = connection.ops.quote_name
    return _DOCUMENT_SQL.format(
        document=quote(SearchDocument._meta.db_table),
        case=quote(Case._meta.db_table),
        timeline=quote(TimelineEntry._meta.db_table),
        person=quote(Person._meta.db_table),
        party=quote(CaseParty._meta.db_table),
        which=which,
    )


def _params(**more) -> dict:
    return {
        "config": TEXT_SEARCH_CONFIG,
        "notes_limit": NOTES_SEARCHED_CHARACTERS,
        "kinds": [str(kind) for kind in SEARCHED_ENTRY_KINDS],
        "sound_letters": SOUND_LETTERS,
        **more,
    }


def keeps_documents() -> bool:
    return connection.vendor == "postgresql"


def refresh(case_ids: Iterable[int]) -> None:
    """Build the documents of these cases again from what they hold now (in the caller's transaction)."""
    ids = sorted({case_id for case_id in case_ids if case_id is not None})
    if not ids or not keeps_documents():
        return
    with connection.cursor() as cursor:
        cursor.execute(_statement("c.id = ANY(%(ids)s)"), _params(ids=ids))


# The GIN indexes this app's migration 0002 makes: dropped while every document is built afresh, then made again,
# because building an index once is several times quicker than growing it a row at a time.
GIN_INDEXES = {
    "search_document_vector": "USING gin (vector)",
    "search_document_names": "USING gin (names gin_trgm_ops)",
    "search_document_sounds": "USING gin (sounds gin_trgm_ops)",
}


def _build_range(low: int, high: int, *, in_thread: bool) -> int:
    try:
        with connection.cursor() as cursor:
            cursor.execute(_statement("c.id >= %(low)s AND c.id < %(high)s"), _params(low=low, high=high))
            return cursor.rowcount
    finally:
        if in_thread:
            connections.close_all()


def rebuild(*, batch_size: int = 20_000, workers: int = 1, progress=None) -> int:
    """Build every case's document, a range of case ids at a time (on `workers` connections at once).

    Into an empty table, outside a transaction, the GIN indexes are dropped first and made again at
    the end. Returns how many documents were written.
    """
    if not keeps_documents():
        return 0
    bounds = Case.objects.order_by().values_list("pk", flat=True)
    first, last = bounds.order_by("pk").first(), bounds.order_by("-pk").first()
    if first is None:
        return 0
    quote = connection.ops.quote_name
    table = quote(SearchDocument._meta.db_table)
    # Inside a transaction the new rows' foreign key checks are still pending, and PostgreSQL will not index then.
    afresh = not connection.in_atomic_block and not SearchDocument.objects.exists()
    if afresh:
        with connection.cursor() as cursor:
            for name in GIN_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    done = 0
    try:
        ranges = [(low, low + batch_size) for low in range(first, last + 1, batch_size)]
        if workers <= 1:
            for low, high in ranges:
                done += _build_range(low, high, in_thread=False)
                if progress:
                    progress(done)
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for built in as_completed(
                    [pool.submit(_build_range, low, high, in_thread=True) for low, high in ranges]
                ):
                    done += built.result()
                    if progress:
                        progress(done)
    finally:
        if afresh:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                for name, how in GIN_INDEXES.items():
                    cursor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {table} {how}")
                cursor.execute("RESET maintenance_work_mem")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return done
