"""Full-text search across evidence, scoped to what the user may see, with the matching passage:
PostgreSQL (tsvector, GIN) or SQLite (FTS5) behind one interface (docs/evidence.md, "Search")."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from monev.evidence.models import (
    Evidence,
    EvidenceSearch,
    EvidenceVersion,
    FileText,
)
from monev.evidence.selectors import evidence_list, evidence_scope
from monev.institutions.permissions import Access

__all__ = [
    "SearchHit",
    "evidence_search",
    "rebuild_all",
    "reindex_evidence",
    "reindex_file",
    "search",
]

CONFIG = "indonesian"
INDEXED_CHARS = 250_000
MAX_QUERY_CHARS = 300
MAX_TERMS = 12
FTS_TABLE = "evidence_search_fts"

# Private-use characters mark the matched words in the database's passage; the passage is then
# HTML-escaped and they become <mark> tags (so the document's own text can never inject HTML).
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_HEADLINE = (
    f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=20, MinWords=8, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class SearchHit:
    evidence_id: int
    title: str
    passage: str  # HTML: escaped text, matched words in <mark>
    rank: float


# --- indexing ------------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    return {
        "evidence": Evidence._meta.db_table,
        "version": EvidenceVersion._meta.db_table,
        "text": FileText._meta.db_table,
        "search": EvidenceSearch._meta.db_table,
        "fts": FTS_TABLE,
    }


# The latest version's file of each evidence item and its text (or none: links, pending files).
_SOURCE = """
    FROM {evidence} e
    LEFT JOIN {version} v ON v.evidence_id = e.id
        AND v.number = (SELECT MAX(v2.number) FROM {version} v2 WHERE v2.evidence_id = e.id)
    LEFT JOIN {text} t ON t.file_id = v.file_id
"""

_PG_UPSERT = (
    """
    INSERT INTO {search} (evidence_id, institution_id, file_id, vector)
    SELECT e.id, e.institution_id, v.file_id,
        setweight(to_tsvector('{config}', e.title), 'A')
        || setweight(to_tsvector('{config}', e.document_number), 'A')
        || setweight(to_tsvector('{config}', LEFT(COALESCE(t.text, ''), {chars})), 'B')
    """
    + _SOURCE
    + """
    WHERE {where}
    ON CONFLICT (evidence_id) DO UPDATE
        SET institution_id = EXCLUDED.institution_id, file_id = EXCLUDED.file_id,
            vector = EXCLUDED.vector
    """
)

_SQLITE_INSERT = (
    """
    INSERT INTO {fts} (rowid, title, number, body)
    SELECT e.id, e.title, e.document_number, SUBSTR(COALESCE(t.text, ''), 1, {chars})
    """
    + _SOURCE
    + " WHERE {where}"
)


_SQLITE_DELETE = "DELETE FROM {fts} WHERE rowid IN (SELECT e.id FROM {evidence} e WHERE {where})"

# The evidence items whose latest version uses the file %s.
_LATEST_USES_FILE = """e.id IN (
    SELECT lv.evidence_id FROM {version} lv
    WHERE lv.file_id = %s AND lv.number = (
        SELECT MAX(v3.number) FROM {version} v3 WHERE v3.evidence_id = lv.evidence_id
    )
)"""

_CLEAR = "DELETE FROM {table}"


def _reindex(where: str, params: list, using: str = DEFAULT_DB_ALIAS) -> None:
    """(Re)build the entries of the evidence items selected by `where` (on alias e)."""
    connection = connections[using]
    names = {**_tables(), "config": CONFIG, "chars": INDEXED_CHARS, "where": where}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_UPSERT.format(**names), params)
        elif connection.vendor == "sqlite":
            cursor.execute(_SQLITE_DELETE.format(**names), params)
            cursor.execute(_SQLITE_INSERT.format(**names), params)
        # Other databases: no full-text index; search() answers nothing.


def reindex_evidence(evidence_id: int) -> None:
    """(Re)build one evidence item's entry from its title, document number and the text of its
    latest version's file (if extracted). A deleted item loses its entry."""
    _reindex("e.id = %s", [evidence_id])


def reindex_file(file_id: int) -> None:
    """Reindex every evidence item whose latest version uses this file (after extraction)."""
    _reindex(_LATEST_USES_FILE.format(version=EvidenceVersion._meta.db_table), [file_id])


def rebuild_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """Rebuild the whole index (tests, benchmarks, after a restore)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_CLEAR.format(table=EvidenceSearch._meta.db_table))
        elif connection.vendor == "sqlite":
            cursor.execute(_CLEAR.format(table=FTS_TABLE))
    _reindex("1 = 1", [], using)


# --- querying ------------------------------------------------------------------------------


def _clean(query: str) -> str:
    return _CONTROL.sub(" ", query or "")[:MAX_QUERY_CHARS].strip()


_PHRASE_OR_WORD = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def fts5_query(query: str) -> str:
    """User input as an FTS5 query that cannot be a syntax error: "quoted phrases" and words
    (each a prefix), all required; a leading - excludes a word or phrase (exactly). '' when
    nothing searchable is left."""
    required, excluded = [], []
    for minus_phrase, phrase, minus_word, word in _PHRASE_OR_WORD.findall(query):
        tokens = _WORD.findall(phrase if phrase or minus_phrase else word)
        if not tokens:
            continue
        if minus_phrase or minus_word:
            excluded.append('"' + " ".join(tokens) + '"')
        elif phrase:
            required.append('"' + " ".join(tokens) + '"')
        else:
            # A bare word: each of its tokens a prefix ("e-Kinerja" -> "e"* AND "kinerja"*).
            required.extend(f'"{token}"*' for token in tokens)
    required, excluded = required[:MAX_TERMS], excluded[:MAX_TERMS]
    if not required:
        return ""
    expression = " AND ".join(required)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _passage(marked: str) -> str:
    """Escape the database's passage for HTML and turn the private markers into <mark>."""
    escaped = html.escape(" ".join(marked.split()))
    escaped = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return escaped.replace(_OPEN, "").replace(_CLOSE, "")


def _scope(access: Access, institution_id: int, connection, column: str) -> tuple[str, list]:
    """A condition on `column` (an evidence id) keeping the evidence the user may see: that of
    selectors.evidence_queryset (the institution's; an operator's scope within it)."""
    if not access.is_operator_only:
        return "TRUE", []  # the institution is a condition of its own
    scope = Evidence.objects.filter(institution_id=institution_id).filter(evidence_scope(access))
    sql, params = scope.order_by().values("pk").query.get_compiler(connection=connection).as_sql()
    return f"{column} IN ({sql})", list(params)


# A search matching more than RANKED items ranks the RANKED newest of them: ranking reads each
# candidate's whole tsvector, so it is bounded; finding the matches is the GIN index's job
# ("+ 0" keeps the planner from walking the primary key and reading every vector on the way).
RANKED = 1000
# The passage comes from a window of the text around the first occurrence of a query stem:
# ts_headline parses all the text it is given, which costs milliseconds per long document.
WINDOW_BEFORE, WINDOW = 300, 1500

_PG_SEARCH = r"""
    WITH matches AS MATERIALIZED (
        SELECT s.evidence_id
        FROM {search} s
        WHERE s.vector @@ websearch_to_tsquery('{config}', %s)
            AND s.institution_id = %s AND {scope}
        ORDER BY s.evidence_id + 0 DESC
        LIMIT {ranked}
    ),
    top AS (
        SELECT s.evidence_id, s.file_id,
            ts_rank(s.vector, websearch_to_tsquery('{config}', %s), 1) AS rank
        FROM matches m JOIN {search} s ON s.evidence_id = m.evidence_id
        ORDER BY rank DESC, s.evidence_id DESC
        LIMIT %s
    )
    SELECT top.evidence_id, e.title, top.rank,
        ts_headline('{config}', w.text, websearch_to_tsquery('{config}', %s), %s),
        ts_headline(
            '{config}', CONCAT_WS(' · ', e.title, NULLIF(e.document_number, '')),
            websearch_to_tsquery('{config}', %s), %s
        )
    FROM top
    JOIN {evidence} e ON e.id = top.evidence_id
    LEFT JOIN {text} t ON t.file_id = top.file_id
    CROSS JOIN LATERAL (
        SELECT SUBSTR(
            COALESCE(t.text, ''),
            GREATEST(
                1,
                COALESCE(MIN(NULLIF(STRPOS(LOWER(LEFT(t.text, {chars})), stem[1]), 0)), 1)
                - {before}
            ),
            {window}
        ) AS text
        FROM REGEXP_MATCHES(
            websearch_to_tsquery('{config}', %s)::text, '''([^'']+)''', 'g'
        ) AS stem
    ) w
    ORDER BY top.rank DESC, top.evidence_id DESC
"""

_SQLITE_SEARCH = """
    SELECT f.rowid, e.title, -bm25({fts}, 10.0, 10.0, 1.0) AS rank,
        snippet({fts}, -1, %s, %s, ' … ', 24)
    FROM {fts} f
    JOIN {evidence} e ON e.id = f.rowid
    WHERE {fts} MATCH %s AND e.institution_id = %s AND {scope}
    ORDER BY bm25({fts}, 10.0, 10.0, 1.0), f.rowid DESC
    LIMIT %s
"""


def _pg_headline(query: str) -> list:
    return [query, _HEADLINE, query, _HEADLINE, query]


def _without_seqscan(connection, cursor, sql: str, params: list) -> list[tuple]:
    """Run the search with sequential scans discouraged, for this statement only.

    The planner costs `vector @@ query` as a cheap comparison, so for a common word (a third of
    the items) it prefers reading the whole table and testing every row - which decompresses
    every tsvector (0.4 s for 100,000 items). The GIN index answers the same in 10 ms."""
    nested = connection.in_atomic_block
    with transaction.atomic(using=connection.alias):
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if nested:  # the enclosing transaction goes on: leave it as it was
            cursor.execute("RESET enable_seqscan")
    return rows


def search(access: Access, institution_id: int, query: str, *, limit: int = 20) -> list[SearchHit]:
    """The evidence of the institution that the user may see and that matches `query`, best
    first, with the matching passage. Empty or unsearchable input answers []."""
    query = _clean(query)
    if not query or not access or limit <= 0:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    names = {
        **_tables(),
        "config": CONFIG,
        "chars": INDEXED_CHARS,
        "ranked": RANKED,
        "before": WINDOW_BEFORE,
        "window": WINDOW,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            scope, scope_params = _scope(access, institution_id, connection, "s.evidence_id")
            # "e-Kinerja" would be a phrase (e-kinerja <-> e <-> kinerja), and a phrase is
            # checked against every matching item's whole vector: search its words instead.
            query = _HYPHEN.sub(" ", query)
            rows = [
                (pk, title, rank, body if _OPEN in body else head)
                for pk, title, rank, body, head in _without_seqscan(
                    connection,
                    cursor,
                    _PG_SEARCH.format(**names, scope=scope),
                    [query, institution_id, *scope_params, query, limit, *_pg_headline(query)],
                )
            ]
        elif connection.vendor == "sqlite":
            expression = fts5_query(query)
            if not expression:
                return []
            scope, scope_params = _scope(access, institution_id, connection, "f.rowid")
            cursor.execute(
                _SQLITE_SEARCH.format(**names, scope=scope),
                [_OPEN, _CLOSE, expression, institution_id, *scope_params, limit],
            )
            rows = cursor.fetchall()
        else:
            return []
    return [
        SearchHit(evidence_id=pk, title=title, passage=_passage(passage or ""), rank=float(rank))
        for pk, title, rank, passage in rows
    ]


def evidence_search(
    access: Access,
    institution_id: int,
    query: str,
    *,
    kind: str | None = None,
    unit_id: int | None = None,
    limit: int = 20,
) -> list[Evidence]:
    """The library's rows (selectors.evidence_list, within kind and unit) matching `query`,
    best first, each with its matching `passage` (HTML: escaped, matched words in <mark>).
    Two queries: the search, then the rows of its hits."""
    hits = search(access, institution_id, query, limit=limit)
    passages = {hit.evidence_id: hit.passage for hit in hits}
    rows = evidence_list(access, institution_id, kind=kind, unit_id=unit_id)
    found = {item.pk: item for item in rows.filter(pk__in=passages)}
    ranked = [found[hit.evidence_id] for hit in hits if hit.evidence_id in found]
    for item in ranked:
        item.passage = passages[item.pk]
    return ranked
