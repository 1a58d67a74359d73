"""Finding cases by what they say and who is on them: ranked, only among the cases given, and highlighted.

Every word typed must be found, each in one of three places: the words of the case (its summary,
the complainant's account and the outcome they want, and the notes, calls and emails on its
timeline), the names of the people on it (by the start of a name or, on PostgreSQL, a close
spelling: Smyth finds Smith), or their NHS numbers (four or more digits, from anywhere in the number).

On PostgreSQL the words are matched in each case's search document (palsdesk.search.models): as
English (ward finds wards) or as the start of a word, name or NHS number, all in one tsquery that the
GIN index answers alone. Only when that finds nothing are names spelt nearly like the words looked
for too (trigrams and sounds), which costs more. On SQLite, a plain fallback reads the cases,
timelines and people directly: words are found by their letters, names by their start only.

Results are ranked by where the words were found (summary and names first) among the newest
RANKED_MATCHES matches: ranking reads each match's document, which for a common word in a million
cases would take seconds. The case list says when a search found more.

Callers pass the cases the user may see (cases.selectors.cases_visible_to), so a case outside them
can never be found.
"""

import difflib
import html
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQueryField
from django.db import connections
from django.db.models import Case as When_
from django.db.models import Exists, F, FloatField, Func, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils.safestring import SafeString, mark_safe

from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.people.models import CaseParty
from palsdesk.people.nhs_number import formatted
from palsdesk.search.indexing import SEARCHED_ENTRY_KINDS, TEXT_SEARCH_CONFIG

MAX_WORDS = 8
# Only the newest this many matches are ranked and shown; more than that asks for a narrower search.
RANKED_MATCHES = 300
MIN_NHS_DIGITS = 4
# Shorter words than this are found by the start of a name only: two or three letters are alike in too many.
MIN_CLOSE_SPELLING_LETTERS = 4
# Shorter words than this are found only whole: "a" as the start of a word would find every case.
MIN_PREFIX_LETTERS = 3
SNIPPET_CHARACTERS = 90
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NHS_NUMBER_TYPED = re.compile(r"^[\d\s-]+$")
# ts_headline's marks: characters nobody types, swapped for <mark> after the text is escaped.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...] = ()
    # An NHS number, or part of one, typed with or without its spaces.
    digits: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.digits)


def parse(query: str) -> Terms:
    query = " ".join((query or "").split())[:200]
    if _NHS_NUMBER_TYPED.match(query):
        digits = re.sub(r"\D", "", query)
        if len(digits) >= MIN_NHS_DIGITS:
            return Terms(digits=digits)
    words = []
    for word in _WORD.findall(query.lower()):
        if word not in words:
            words.append(word.replace("’", "'"))
    return Terms(words=tuple(words[:MAX_WORDS]))


def _is_postgresql(cases: QuerySet) -> bool:
    return connections[cases.db].vendor == "postgresql"


def matching(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """The cases among `cases` that match the query, best first, each annotated with `search_rank`."""
    terms = parse(query)
    if not terms:
        return cases.none()
    if _is_postgresql(cases):
        return _matching_postgresql(cases, terms)
    return _matching_plain(cases, terms)


def _newest(matched: QuerySet[Case]) -> list[int]:
    """The ids of the newest RANKED_MATCHES matches, read once (the page and its count then need only these).

    Ranking reads every match's document, so a word in a tenth of a million cases would take seconds;
    the newest matches are found from the received-date index instead, and only they are ranked.
    """
    return list(matched.order_by("-received_on", "-pk").values_list("pk", flat=True)[:RANKED_MATCHES])


def _ranked(ids: list[int], rank, *, db: str) -> QuerySet[Case]:
    return (
        Case.objects.using(db)
        .filter(pk__in=ids)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "-received_on", "-pk")
    )


# PostgreSQL: the search documents, their GIN indexes, and pg_trgm.


@dataclass(frozen=True)
class _Parsed:
    word: str
    lexeme: str  # as PostgreSQL's English parser reads it ("wards": 'ward'); "" for a word it ignores ("the")
    prefix: str  # the word as the start of any word, name or NHS number ('okaf':*); "" for short words
    sound: str  # its Double Metaphone code ("smyth": SM0), for names

    @property
    def either(self) -> str:
        return " | ".join(f"({part})" for part in (self.lexeme, self.prefix) if part)


def _parsed(db: str, words: tuple[str, ...]) -> list[_Parsed]:
    """The words read by PostgreSQL, in one round trip; a word its parser ignores is left out among others."""
    if not words:
        return []
    with connections[db].cursor() as cursor:
        cursor.execute(
            """
            SELECT word, plainto_tsquery(%s::regconfig, word)::text,
                   CASE WHEN length(word) >= %s AND (word ~ '[^0-9]' OR length(word) >= %s)
                        THEN to_tsquery('simple', quote_literal(word) || ':*')::text ELSE '' END,
                   dmetaphone(word)
            FROM unnest(%s::text[]) WITH ORDINALITY AS words(word, position) ORDER BY position
            """,
            [TEXT_SEARCH_CONFIG, MIN_PREFIX_LETTERS, MIN_NHS_DIGITS, list(words)],
        )
        parsed = [_Parsed(word, lexeme, prefix, sound or "") for word, lexeme, prefix, sound in cursor.fetchall()]
    meaningful = [p for p in parsed if p.lexeme]
    return meaningful or [p for p in parsed if p.either]


def _tsquery(text: str) -> Cast:
    return Cast(Value(text), output_field=SearchQueryField())


def _text_rank(query: str):
    # ts_rank, not ts_rank_cd: cover density took ten times as long over a thousand documents, for little gain.
    return Coalesce(
        Func(F("search_document__vector"), _tsquery(query), function="ts_rank", output_field=FloatField()),
        Value(0.0),
    )


def _close_to(word: _Parsed) -> Q:
    """A name spelt nearly like the word: close in trigrams (Okafur, Okafor) or in sound (Smyth, Smith)."""
    if len(word.word) < MIN_CLOSE_SPELLING_LETTERS or word.word.isdigit():
        return Q(pk__in=[])
    close = Q(search_document__names__close_to=word.word)
    return close | Q(search_document__sounds__contains=f" {word.sound} ") if word.sound else close


def _matching_postgresql(cases: QuerySet[Case], terms: Terms) -> QuerySet[Case]:
    """Every word as written (in any English form, or as the start of a word, name or NHS number) in one tsquery,
    which the GIN index answers alone; only when that finds nothing, names spelt nearly like the words too.
    """
    if terms.digits:
        # Any run of four or more digits of an NHS number, from the trigram index of the names.
        return (
            cases.filter(search_document__names__contains=terms.digits)
            .annotate(search_rank=Value(1.0, output_field=FloatField()))
            .order_by("-received_on", "-pk")
        )
    words = _parsed(cases.db, terms.words)
    if not words:
        return cases.none()
    every_word = " & ".join(f"({word.either})" for word in words)
    # Not .exists() first: with LIMIT 1 the planner bets on a sequential scan finding a match early, and reads
    # the whole table for a word nobody wrote. The newest matches' ids answer whether there are any, too.
    found = _newest(cases.filter(search_document__vector__matches=every_word))
    if found:
        return _ranked(found, _text_rank(every_word), db=cases.db)
    condition = Q()
    rank = _text_rank(" | ".join(f"({word.either})" for word in words))
    for word in words:
        condition &= Q(search_document__vector__matches=word.either) | _close_to(word)
        rank = rank + Func(
            Value(word.word), F("search_document__names"), function="word_similarity", output_field=FloatField()
        )
    return _ranked(_newest(cases.filter(condition)), rank, db=cases.db)


# SQLite and any other database: the source tables, read directly.


def _matching_plain(cases: QuerySet[Case], terms: Terms) -> QuerySet[Case]:
    parties = CaseParty.objects.filter(case_id=OuterRef("pk"))
    if terms.digits:
        return (
            cases.filter(Exists(parties.filter(person__nhs_number__contains=terms.digits)))
            .annotate(search_rank=Value(1, output_field=IntegerField()))
            .order_by("-received_on", "-pk")
        )
    entries = TimelineEntry.objects.filter(case_id=OuterRef("pk"), kind__in=SEARCHED_ENTRY_KINDS)
    condition = Q()
    rank = Value(0, output_field=IntegerField())
    for word in terms.words:
        in_summary = Q(summary__icontains=word)
        in_account = Q(account__icontains=word) | Q(outcome_wanted__icontains=word)
        in_notes = Exists(entries.filter(Q(body__icontains=word) | Q(contact__icontains=word)))
        names = Q(person__first_name__istartswith=word) | Q(person__last_name__istartswith=word)
        if word.isdigit() and len(word) >= MIN_NHS_DIGITS:
            names |= Q(person__nhs_number__contains=word)
        in_names = Exists(parties.filter(names))
        condition &= in_summary | in_account | in_notes | in_names
        rank = rank + When_(When(in_summary, then=3), When(in_names, then=2), default=1, output_field=IntegerField())
    return _ranked(_newest(cases.filter(condition)), rank, db=cases.db)


# Highlights: where on each case of a page the words were found, marked.


def _pattern(words) -> re.Pattern | None:
    # A word found by its start: "ward" marks "wards" and "Ward 7", not "toward".
    stems = sorted({re.escape(word[:-1] if len(word) > 4 and word.endswith("s") else word) for word in words if word})
    return re.compile(rf"\b(?:{'|'.join(stems)})[^\W_]*", re.IGNORECASE) if stems else None


def _marked(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return html.escape(text)
    out, at = [], 0
    for found in pattern.finditer(text):
        out += [html.escape(text[at : found.start()]), "<mark>", html.escape(found.group(0)), "</mark>"]
        at = found.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def _fragments(text: str, pattern: re.Pattern | None, *, most: int = 2) -> str:
    """Up to `most` stretches of the text around a found word, marked; "" if no word is in it."""
    if pattern is None:
        return ""
    pieces, last_end = [], -1
    for found in pattern.finditer(text):
        if found.start() < last_end:
            continue
        start = max(0, text.rfind(" ", 0, max(0, found.start() - SNIPPET_CHARACTERS // 2)) + 1)
        end = text.find(" ", min(len(text), found.end() + SNIPPET_CHARACTERS // 2))
        end = len(text) if end == -1 else end
        pieces.append(("… " if start else "") + _marked(text[start:end], pattern) + (" …" if end < len(text) else ""))
        last_end = end
        if len(pieces) == most:
            break
    return " ".join(pieces)


def _is_close(name_word: str, word: str) -> bool:
    return name_word.startswith(word) or (
        len(word) >= MIN_CLOSE_SPELLING_LETTERS and difflib.SequenceMatcher(None, name_word, word).ratio() >= 0.7
    )


def _people_line(people: list[tuple[str, str, str]], terms: Terms) -> str:
    shown = []
    for first_name, last_name, nhs_number in people:
        name = " ".join(part for part in (first_name, last_name) if part)
        name_found = any(_is_close(part.lower(), word) for part in name.split() for word in terms.words)
        number_found = bool(nhs_number) and (
            (terms.digits and terms.digits in nhs_number) or any(w.isdigit() and w in nhs_number for w in terms.words)
        )
        if not (name_found or number_found):
            continue
        label = f"<mark>{html.escape(name)}</mark>" if name_found else html.escape(name)
        if number_found:
            label += f", NHS number <mark>{html.escape(formatted(nhs_number))}</mark>"
        shown.append(label)
    return "; ".join(shown)


@dataclass(frozen=True)
class Highlight:
    summary: SafeString
    found_in_text: SafeString
    found_people: SafeString


def highlight(rows: list[Case], query: str) -> None:
    """Give each case on a page of results `search_highlight`: its summary, text and people, marked where found.

    Three queries for the page, whatever its length: the rows' words, their people, and (on
    PostgreSQL) the parsed query.
    """
    terms = parse(query)
    if not rows or not terms:
        return
    ids = [case.pk for case in rows]
    pattern = _pattern(terms.words)
    people = defaultdict(list)
    seen = set()
    for case_id, person_id, *person in (
        CaseParty.objects.filter(case_id__in=ids)
        .order_by("case_id", "person_id")
        .values_list("case_id", "person_id", "person__first_name", "person__last_name", "person__nhs_number")
    ):
        if (case_id, person_id) not in seen:
            seen.add((case_id, person_id))
            people[case_id].append(tuple(person))
    db = rows[0]._state.db or "default"
    if connections[db].vendor == "postgresql":
        texts = _headlines(ids, terms, db=db)
    else:
        notes = defaultdict(list)
        for case_id, contact, body in (
            TimelineEntry.objects.filter(case_id__in=ids, kind__in=SEARCHED_ENTRY_KINDS)
            .order_by("case_id", "occurred_at", "id")
            .values_list("case_id", "contact", "body")
        ):
            notes[case_id].append(f"{contact}: {body}" if contact else body)
        texts = {
            case.pk: _fragments(" ".join([case.account, case.outcome_wanted, *notes[case.pk]]), pattern)
            for case in rows
        }
    for case in rows:
        case.search_highlight = Highlight(
            summary=mark_safe(_marked(case.summary, pattern)),  # noqa: S308 (escaped by _marked)
            found_in_text=mark_safe(texts.get(case.pk, "")),  # noqa: S308 (escaped by _marked or _headlines)
            found_people=mark_safe(_people_line(people[case.pk], terms)),  # noqa: S308 (escaped by _people_line)
        )


def _headlines(ids: list[int], terms: Terms, *, db: str) -> dict[int, str]:
    """PostgreSQL's ts_headline of each case's account and notes, escaped, its marks made <mark>; none without one."""
    lexemes = [parsed.either for parsed in _parsed(db, terms.words)]
    if not lexemes:
        return {}
    any_word = " | ".join(f"({lexeme})" for lexeme in lexemes)
    options = f'StartSel={_START}, StopSel={_STOP}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
    connection = connections[db]
    quote = connection.ops.quote_name
    statement = f"""
        SELECT c.id, ts_headline(%s::regconfig, c.account || ' ' || c.outcome_wanted || ' ' || coalesce(notes.text, ''),
                                 %s::tsquery, %s)
        FROM {quote(Case._meta.db_table)} c
        LEFT JOIN LATERAL (
            SELECT string_agg(CASE WHEN t.contact <> '' THEN t.contact || ': ' ELSE '' END || t.body, ' '
                              ORDER BY t.occurred_at, t.id) AS text
            FROM {quote(TimelineEntry._meta.db_table)} t
            WHERE t.case_id = c.id AND t.kind = ANY(%s)
        ) notes ON true
        WHERE c.id = ANY(%s)
    """  # noqa: S608 (table names from the models; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            [TEXT_SEARCH_CONFIG, any_word, options, [str(k) for k in SEARCHED_ENTRY_KINDS], ids],
        )
        found = {}
        for case_id, headline in cursor.fetchall():
            if headline and _START in headline:
                escaped = html.escape(headline)
                found[case_id] = escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
        return found
