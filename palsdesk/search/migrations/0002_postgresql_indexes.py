"""On PostgreSQL: the pg_trgm extension, the GIN indexes search uses, and a document for every case already there.

Kept out of the model's Meta because SQLite has neither GIN indexes nor trigrams (search reads the
source tables there). The documents are built with a frozen copy of palsdesk.search.indexing's
statement, so that this migration keeps working whatever that module becomes.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE INDEX IF NOT EXISTS search_document_vector ON search_searchdocument USING gin (vector);
CREATE INDEX IF NOT EXISTS search_document_names ON search_searchdocument USING gin (names gin_trgm_ops);
CREATE INDEX IF NOT EXISTS search_document_sounds ON search_searchdocument USING gin (sounds gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS search_document_sounds;
DROP INDEX IF EXISTS search_document_names;
DROP INDEX IF EXISTS search_document_vector;
"""

BUILD = """
INSERT INTO search_searchdocument (case_id, vector, names, sounds, refreshed_at)
SELECT c.id,
    setweight(to_tsvector('english', c.summary), 'A')
    || setweight(to_tsvector('english', c.account || ' ' || c.outcome_wanted), 'B')
    || setweight(to_tsvector('english', left(coalesce(notes.text, ''), 200000)), 'C')
    || setweight(to_tsvector('simple', coalesce(people.names, '')), 'A'),
    coalesce(people.names, ''),
    coalesce(people.sounds, ''),
    now()
FROM cases_case c
LEFT JOIN LATERAL (
    SELECT string_agg(t.contact || ' ' || t.body, ' ') AS text
    FROM cases_timelineentry t
    WHERE t.case_id = c.id AND t.kind IN ('note', 'call', 'email', 'escalation')
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
         WHERE length(word) >= 4),
        '' ORDER BY p.id
    ) AS sounds
    FROM people_person p
    WHERE p.id IN (SELECT cp.person_id FROM people_caseparty cp WHERE cp.case_id = c.id)
) people ON true
ON CONFLICT (case_id) DO NOTHING
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
        schema_editor.execute(BUILD, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_document"),
        ("people", "0002_seed_communication_needs"),
    ]
    operations = [migrations.RunPython(create, drop)]
