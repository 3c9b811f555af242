"""The search index on SQLite (FTS5) and PostgreSQL (tsvector + GIN), behind one class.

Terms arrive analysed (``kodeks.domain.search_text``): every term is ``[a-z0-9]+``, so the match
expressions built here cannot carry user syntax. Both databases store the same terms; PostgreSQL
uses the ``simple`` configuration because each label has already been analysed in its own language
(Danish or English Snowball stemming, the algorithms of PostgreSQL's ``danish`` and ``english``
configurations, or none) and folded (æ/ø/å); one document mixes languages, so no single
PostgreSQL configuration could analyse it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    column,
    delete,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kodeks.domain.period import Period
from kodeks.domain.search_rank import DocumentTerms
from kodeks.domain.search_text import FUZZY_MIN_LENGTH, deletions
from kodeks.services.ports import UnitOfWork
from kodeks.services.search_ports import Candidate, Filters, SearchDocument, TermGroup
from kodeks.storage.catalog_tables import search_document, search_term_variant

_SAFE = re.compile(r"^[a-z0-9]+$")
_CHUNK = 500
_DOCUMENT_BATCH = 1000
_FTS_COLUMNS = ("fts_code", "fts_title", "fts_keywords", "fts_body")
#: Column weights: SQLite bm25 (code, title, keywords, body); PostgreSQL ts_rank {D, C, B, A}.
_BM25 = "bm25(search_fts, 8.0, 10.0, 4.0, 1.0)"
_PG_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"
_VARIANT_MIN, _VARIANT_MAX = FUZZY_MIN_LENGTH - 1, 60
_DOC = search_document.c


def _check(term: str) -> str:
    if not _SAFE.match(term):
        raise ValueError(f"search term {term!r} is not analysed")
    return term


class SqlSearchIndex:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"

    # -- writing ----------------------------------------------------------------------------------
    def replace_items(self, classification_id: str, documents: Iterable[SearchDocument]) -> None:
        self._drop(and_(_DOC.classification_id == classification_id, _DOC.kind == "item"))
        it = iter(documents)  # a batch at a time: a large classification is never held whole
        while batch := list(itertools.islice(it, _DOCUMENT_BATCH)):
            self._add(batch)

    def replace_entry(self, entry_id: str, document: SearchDocument | None) -> None:
        self._drop(and_(_DOC.classification_id == entry_id, _DOC.kind == "catalog"))
        if document is not None:
            self._add([document])

    def clear(self) -> None:
        if not self.postgres:
            self.conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('delete-all')"))
        self.conn.execute(delete(search_document))
        self.conn.execute(delete(search_term_variant))

    def _drop(self, where: Any) -> None:
        if not self.postgres:
            ids = [r[0] for r in self.conn.execute(select(_DOC.id).where(where))]
            cols = ", ".join(_FTS_COLUMNS)
            for start in range(0, len(ids), _CHUNK):
                listed = ", ".join(str(int(i)) for i in ids[start : start + _CHUNK])
                self.conn.execute(
                    text(
                        f"INSERT INTO search_fts(search_fts, rowid, {cols}) "
                        f"SELECT 'delete', id, {cols} FROM search_document WHERE id IN ({listed})"
                    )
                )
        self.conn.execute(delete(search_document).where(where))

    def _add(self, documents: Sequence[SearchDocument]) -> None:
        rows = [_row(d) for d in documents]
        if self.postgres:
            for start in range(0, len(rows), _CHUNK):
                self.conn.execute(search_document.insert(), rows[start : start + _CHUNK])
        else:
            # Plain executemany (a RETURNING of ordered ids would cost one statement per row); the
            # new rows are those above the largest id before: SQLite gives a rowid one above the
            # largest (no AUTOINCREMENT), and the transaction holds the database's one write lock.
            before = self.conn.execute(select(func.coalesce(func.max(_DOC.id), 0))).scalar_one()
            for start in range(0, len(rows), _CHUNK):
                self.conn.execute(search_document.insert(), rows[start : start + _CHUNK])
            cols = ", ".join(_FTS_COLUMNS)
            self.conn.execute(
                text(
                    f"INSERT INTO search_fts(rowid, {cols}) SELECT id, {cols} "
                    "FROM search_document WHERE id > :before ORDER BY id"
                ),
                {"before": int(before)},
            )
        self._add_variants(documents)

    def _add_variants(self, documents: Sequence[SearchDocument]) -> None:
        words: set[str] = set()
        for d in documents:
            words.update(d.terms.title)
            words.update(d.terms.alt)
            words.update(d.terms.keywords)
        words = {w for w in words if _VARIANT_MIN <= len(w) <= _VARIANT_MAX and not w.isdigit()}
        known: set[str] = set()
        listed = sorted(words)
        for start in range(0, len(listed), _CHUNK):
            chunk = listed[start : start + _CHUNK]
            known.update(
                r[0]
                for r in self.conn.execute(
                    select(search_term_variant.c.term).where(
                        search_term_variant.c.variant.in_(chunk),
                        search_term_variant.c.variant == search_term_variant.c.term,
                    )
                )
            )
        pairs = sorted({(v, w) for w in words - known for v in (deletions(w) | {w})})
        if self.postgres:
            for start in range(0, len(pairs), 50_000):
                batch = pairs[start : start + 50_000]
                self.conn.execute(
                    text(
                        "INSERT INTO search_term_variant (variant, term) "
                        "SELECT * FROM unnest(CAST(:v AS text[]), CAST(:t AS text[])) ON CONFLICT DO NOTHING"
                    ),
                    {"v": [p[0] for p in batch], "t": [p[1] for p in batch]},
                )
            return
        rows = [{"variant": v, "term": w} for v, w in pairs]
        for start in range(0, len(rows), 2000):
            self.conn.execute(
                sqlite_insert(search_term_variant).on_conflict_do_nothing(), rows[start : start + 2000]
            )

    # -- reading ----------------------------------------------------------------------------------
    def text_candidates(
        self, groups: Sequence[TermGroup], filters: Filters, *, match_all: bool, limit: int
    ) -> list[Candidate]:
        if not groups:
            return []
        if self.postgres:
            expr = (" & " if match_all else " | ").join(_pg_group(g) for g in groups)
            query = func.to_tsquery(literal_column("'simple'::regconfig"), expr)
            rank = func.ts_rank(literal_column(f"{_PG_WEIGHTS}::float4[]"), literal_column("tsv"), query)
            stmt = (
                select(*_columns(), rank.label("db_rank"))
                .where(literal_column("tsv").op("@@")(query))
                .where(*_filters(filters))
                .order_by(rank.desc(), _DOC.id)
                .limit(limit)
            )
            return [_candidate(r) for r in self.conn.execute(stmt)]
        expr = (" AND " if match_all else " OR ").join(_fts_group(g) for g in groups)
        fts = table("search_fts", column("rowid"))
        bm25: Any = literal_column(_BM25)
        stmt = (
            select(*_columns(), (-bm25).label("db_rank"))
            .select_from(fts.join(search_document, _DOC.id == fts.c.rowid))
            .where(text("search_fts MATCH :q").bindparams(q=expr))
            .where(*_filters(filters))
            .order_by(bm25, _DOC.id)
            .limit(limit)
        )
        return [_candidate(r) for r in self.conn.execute(stmt)]

    def code_candidates(self, codes: Sequence[str], filters: Filters, *, limit: int) -> list[Candidate]:
        if not codes:
            return []
        stmt = (
            select(*_columns(), literal_column("0.0").label("db_rank"))
            .where(self._code_match(codes))
            .where(*_filters(filters))
            .order_by(_DOC.code_key)
            .limit(limit)
        )
        return [_candidate(r) for r in self.conn.execute(stmt)]

    def _code_match(self, codes: Sequence[str]) -> Any:
        conditions = []
        for code in codes:
            compact = re.sub(r"[\s.\-/]", "", code)
            conditions += [_DOC.code_key == code, _DOC.code_compact == compact, _prefix(code, self.postgres)]
        return or_(*conditions)

    def _text_ids(self, groups: Sequence[TermGroup], match_all: bool) -> Any:
        if self.postgres:
            expr = (" & " if match_all else " | ").join(_pg_group(g) for g in groups)
            query = func.to_tsquery(literal_column("'simple'::regconfig"), expr)
            return select(_DOC.id).where(literal_column("tsv").op("@@")(query))
        expr = (" AND " if match_all else " OR ").join(_fts_group(g) for g in groups)
        return (
            select(column("rowid"))
            .select_from(table("search_fts"))
            .where(text("search_fts MATCH :q").bindparams(q=expr))
        )

    def count_matches(
        self, groups: Sequence[TermGroup], codes: Sequence[str], filters: Filters, *, match_all: bool
    ) -> dict[str, int]:
        parts = ([self._text_ids(groups, match_all)] if groups else []) + (
            [select(_DOC.id).where(self._code_match(codes))] if codes else []
        )
        if not parts:
            return {}
        ids = union(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
        key = func.coalesce(_DOC.code, "") + literal_column("'|'") + _DOC.kind
        unfiltered = Filters(None, filters.level, filters.at, filters.include_expired)
        stmt = (
            select(_DOC.classification_id, func.count(key.distinct()))
            .where(_DOC.id.in_(select(ids.c[0])))
            .where(*_filters(unfiltered))
            .group_by(_DOC.classification_id)
        )
        return {str(cid): int(n) for cid, n in self.conn.execute(stmt)}

    def term_neighbours(self, keys: Sequence[str]) -> list[tuple[str, str]]:
        if not keys:
            return []
        rows = self.conn.execute(
            select(search_term_variant.c.variant, search_term_variant.c.term).where(
                search_term_variant.c.variant.in_(sorted(set(keys)))
            )
        )
        return [(r[0], r[1]) for r in rows]

    def knows(self, classification_id: str) -> bool:
        return (
            self.conn.execute(
                select(_DOC.id).where(_DOC.classification_id == classification_id).limit(1)
            ).first()
            is not None
        )

    def document_count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(search_document)).scalar() or 0)


def open_search_index(uow: UnitOfWork) -> SqlSearchIndex:
    """The index inside ``uow``'s transaction (``uow`` is the SQL unit of work)."""
    return SqlSearchIndex(uow.conn)  # type: ignore[attr-defined]


def _row(d: SearchDocument) -> dict[str, Any]:
    code_key = "".join(d.code.casefold().split()) if d.code else None
    return {
        "kind": d.kind,
        "classification_id": d.classification_id,
        "code": d.code,
        "code_key": code_key,
        "code_compact": re.sub(r"[.\-/]", "", code_key) if code_key else None,
        "level": d.level,
        "title": d.title,
        "titles": d.titles,
        "valid_from": d.valid.start,
        "valid_to": d.valid.end,
        "life_from": d.lifespan.start if d.lifespan else None,
        "life_to": d.lifespan.end if d.lifespan else None,
        "has_life": d.lifespan is not None,
        "rank_data": d.terms.to_dict(),
        **{f"fts_{k}": " ".join(d.fts.get(k, "").split()) for k in ("code", "title", "keywords", "body")},
    }


def _columns() -> list[Any]:
    return [
        _DOC.kind,
        _DOC.classification_id,
        _DOC.code,
        _DOC.level,
        _DOC.title,
        _DOC.titles,
        _DOC.valid_from,
        _DOC.valid_to,
        _DOC.rank_data,
        _DOC.life_from,
        _DOC.life_to,
        _DOC.has_life,
    ]


def _candidate(r: Any) -> Candidate:
    return Candidate(
        r.kind,
        r.classification_id,
        r.code,
        r.level,
        r.title,
        r.titles,
        Period(r.valid_from, r.valid_to),
        DocumentTerms.from_dict(r.rank_data),
        float(r.db_rank or 0),
        Period(r.life_from, r.life_to) if r.has_life else None,
    )


def _filters(f: Filters) -> list[Any]:
    out: list[Any] = []
    if f.classification is not None:
        out.append(_DOC.classification_id == f.classification)
    if f.level is not None:
        out.append(_DOC.level == f.level)
    if f.at is not None and not f.include_expired:
        out += [
            or_(_DOC.valid_from.is_(None), _DOC.valid_from <= f.at),
            or_(_DOC.valid_to.is_(None), _DOC.valid_to > f.at),
        ]
    return out


def _prefix(code: str, postgres: bool) -> Any:
    if postgres:
        escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return _DOC.code_key.like(escaped + "%", escape="\\")
    return and_(_DOC.code_key > code, _DOC.code_key < code + "\U0010ffff")


def _minimal(g: TermGroup) -> tuple[list[str], list[str]]:
    """The group without redundancy: no prefix that extends another, no exact term a prefix covers."""
    prefixes = sorted(p for p in g.prefixes if not any(p != q and p.startswith(q) for q in g.prefixes))
    exact = sorted(t for t in g.exact if not t.startswith(tuple(prefixes)))
    return [_check(t) for t in exact], [_check(p) for p in prefixes]


def _fts_group(g: TermGroup) -> str:
    exact, prefixes = _minimal(g)
    parts = [f'"{t}"' for t in exact] + [f'"{p}"*' for p in prefixes]
    return "(" + " OR ".join(parts) + ")"


def _pg_group(g: TermGroup) -> str:
    exact, prefixes = _minimal(g)
    parts = exact + [f"{p}:*" for p in prefixes]
    return "(" + " | ".join(parts) + ")"
