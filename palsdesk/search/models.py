"""A case's search document: the words search looks in, kept beside the case rather than in its row.

On PostgreSQL, `vector` holds the case's summary (weight A), the complainant's account and the
outcome they want (B), and the caseworkers' notes, calls and emails on its timeline (C), as a
`tsvector` with a GIN index; `names` holds the names and NHS numbers of everyone on the case, with a
trigram (pg_trgm) GIN index, so a name is found by its start or by a close spelling and an NHS number
by any four or more of its digits; `sounds` holds each name's Double Metaphone code (fuzzystrmatch),
also trigram-indexed, for the misspellings trigrams miss: Smyth shares too few with Smith, but both
sound SM0. palsdesk.search.indexing writes the documents; the indexes are made by this app's
migrations on PostgreSQL only.

On SQLite the table stays empty: search reads the cases, their timelines and people directly (see
palsdesk.search.selectors), which is quick enough for the few thousand cases SQLite is used for.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Lookup


class DocumentVector(SearchVectorField):
    """A tsvector matched against a tsquery already parsed by PostgreSQL (see selectors._lexemes)."""


@DocumentVector.register_lookup
class MatchesParsedQuery(Lookup):
    lookup_name = "matches"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


class Names(models.TextField):
    """Lower-case names and NHS numbers, each word after a space, so that ` smi` finds a name starting "Smi"."""


@Names.register_lookup
class CloseTo(Lookup):
    """pg_trgm's word similarity: a word in the names spelt nearly like the one searched for.

    How near is pg_trgm.word_similarity_threshold, which this app sets for each connection
    (signals.SIMILARITY_THRESHOLD). The operator, unlike the word_similarity() function, can use the
    trigram index.
    """

    lookup_name = "close_to"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


class SearchDocument(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    vector = DocumentVector(null=True)
    names = Names(blank=True)
    sounds = Names(blank=True)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Search document of case {self.case_id}"
