"""Published change tables: which codes of a classification changed between two releases.

Statistical offices and registries publish the changes between two releases as a table with an old
code, a new code and the kind of change (Eurostat's NUTS change tables, DST's tables of changed
codes, KL's lists of moved KLE numbers). :func:`read_change_table` reads such a table in any layout
(CSV, TSV, XLSX, XLS; the tabular options ``delimiter``, ``encoding``, ``sheet``, ``skip_rows``,
``header``, ``code_width``) with a mapping of the roles ``old``, ``new`` (required), ``change`` and
``note``, into a :class:`ChangeTable`:

* a row with both codes is a *successor link* ``old → new`` (several rows with one old code: a
  split; several with one new code: a merge);
* a row with only a new code is an *addition*, a row with only an old code a *deletion* (not errors);
* the ``change`` column's text is kept (``text``) and read as one of :data:`KINDS` where it says so
  in English, Danish or German (``split``, ``opdelt``, ``aufgeteilt`` → ``split``); otherwise the
  kind comes from the shape of the row and the table (``added``, ``deleted``, ``split``, ``merged``,
  ``replaced``, ``renamed`` when old and new are the same code);
* rows with neither code are skipped and counted in ``warnings``.

``ChangeTable.successors()`` gives each old code's new codes, the links a registry records as
``replaced_by``. :func:`as_mappings` turns the table into a correspondence between the two releases
(``kodeks local correspondence import-changes``): successor links map ``old → new`` (the parts of a
split are partial), deletions map to no counterpart, and additions, which have no old code, are
named in a warning.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from kodeks.domain.local.correspondence import Mapping
from kodeks.domain.local.notation import code_problem
from kodeks.errors import InvalidContent
from kodeks.formats.numeric_codes import NumberCodes
from kodeks.formats.table import delimiter_option, read_any
from kodeks.formats.tabular_options import closest
from kodeks.services.local.ports import ParsedMappings

ROLES = ("old", "new", "change", "note")
OPTIONS = ("delimiter", "encoding", "sheet", "skip_rows", "header", "code_width")
KINDS = ("added", "deleted", "replaced", "split", "merged", "renamed")

#: Words of a change column, by the kind they name (matched as whole words, casefolded).
_WORDS: dict[str, tuple[str, ...]] = {
    "added": ("new", "added", "created", "ny", "nye", "oprettet", "tilføjet", "neu", "nouveau", "creation"),
    "deleted": (
        "deleted",
        "discontinued",
        "abolished",
        "removed",
        "nedlagt",
        "udgået",
        "udgaaet",
        "slettet",
        "gestrichen",
        "entfallen",
        "suppression",
        "supprimé",
    ),
    "split": ("split", "opdelt", "delt", "aufgeteilt", "scission"),
    "merged": ("merged", "merger", "sammenlagt", "sammenlægning", "zusammengelegt", "fusion"),
    "renamed": ("renamed", "name", "label", "navneændring", "omdøbt", "titel", "umbenannt"),
    "replaced": (
        "replaced",
        "recoded",
        "code",
        "moved",
        "changed",
        "boundary",
        "flyttet",
        "ændret",
        "erstattet",
        "omkodet",
        "umkodiert",
        "geändert",
    ),
}


@dataclass(frozen=True, slots=True)
class CodeChange:
    """One row: ``old`` → ``new`` (``None`` on the side that is empty), its kind and the file's words."""

    old: str | None
    new: str | None
    kind: str
    text: str | None = None
    note: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class ChangeTable:
    changes: tuple[CodeChange, ...]
    warnings: tuple[str, ...] = ()

    def successors(self) -> dict[str, tuple[str, ...]]:
        """Each old code's new codes, in file order (deletions and additions left out)."""
        out: dict[str, list[str]] = defaultdict(list)
        for c in self.changes:
            if c.old is not None and c.new is not None and c.new not in out[c.old]:
                out[c.old].append(c.new)
        return {old: tuple(new) for old, new in out.items()}

    def added(self) -> tuple[str, ...]:
        return tuple(c.new for c in self.changes if c.old is None and c.new is not None)

    def deleted(self) -> tuple[str, ...]:
        return tuple(c.old for c in self.changes if c.new is None and c.old is not None)

    def counts(self) -> dict[str, int]:
        return dict(Counter(c.kind for c in self.changes))


def as_mappings(table: ChangeTable, classification: str, old: str, new: str) -> ParsedMappings:
    """The changes as a correspondence from release ``old`` to release ``new`` of ``classification``."""
    mappings = [
        Mapping(c.old, c.new, c.kind == "split", c.note or c.text or c.kind)
        for c in table.changes
        if c.old is not None
    ]
    warnings = list(table.warnings)
    added = table.added()
    if added:
        shown = ", ".join(repr(a) for a in added[:10]) + (", ..." if len(added) > 10 else "")
        warnings.append(f"{len(added)} code(s) are new in {new} and have no old code to map from: {shown}")
    return ParsedMappings(tuple(mappings), classification, classification, old, new, tuple(warnings))


def kind_of_text(text: str) -> str | None:
    """The kind a change column's text names (``"Split"``, ``"Udgået"``), or ``None``."""
    words = {w.strip(".,;:()") for w in text.casefold().replace("-", " ").split()}
    for kind, names in _WORDS.items():
        if words & set(names):
            return kind
    return None


def read_change_table(
    data: bytes, source: str, mapping: dict[str, str], options: dict[str, str] | None = None
) -> ChangeTable:
    """The changes in ``data``; ``InvalidContent`` names the file and the row of a problem."""
    opts = dict(options or {})
    _check(mapping, opts, source)
    try:
        skip = int(opts.get("skip_rows") or 0)
    except ValueError:
        raise InvalidContent(
            f"skip_rows must be a whole number, got {opts['skip_rows']!r}", source=source
        ) from None
    table = read_any(
        data,
        source,
        sheet=opts.get("sheet"),
        skip_rows=skip,
        header=opts.get("header", "yes").strip().casefold() not in ("no", "false", "0"),
        delimiter=delimiter_option(opts.get("delimiter")),
        encoding=opts.get("encoding") or "utf-8",
    )
    index: dict[str, int] = {}
    for role, column in mapping.items():
        found = table.column(column)
        if found is None:
            shown = ", ".join(repr(h) for h in table.header if h)
            raise InvalidContent(
                f"the mapping names column {column!r} (role {role!r}), which the file does not have; "
                f"its columns are: {shown}",
                source=source,
                location=table.location(table.header_line),
            )
        index[role] = found
    restore = NumberCodes(table, frozenset({index["old"], index["new"]}), source, opts.get("code_width", ""))
    rows: list[tuple[int, str | None, str | None, str, str]] = []
    skipped: list[int] = []
    for row in table.rows:
        where = table.location(row.line)
        old, new = restore(row, index["old"]).strip() or None, restore(row, index["new"]).strip() or None
        text = row.cells[index["change"]].strip() if "change" in index else ""
        note = row.cells[index["note"]].strip() if "note" in index else ""
        if old is None and new is None:
            skipped.append(row.line)
            continue
        for code in (old, new):
            problem = code_problem(code) if code is not None else None
            if problem:
                raise InvalidContent(problem, source=source, location=where)
        rows.append((row.line, old, new, text, note))
    if not rows:
        raise InvalidContent("the table holds no changes", source=source)
    per_old = Counter(old for _, old, new, _, _ in rows if old and new)
    per_new = Counter(new for _, old, new, _, _ in rows if old and new)
    changes = tuple(
        CodeChange(old, new, _kind(old, new, text, per_old, per_new), text or None, note or None, line)
        for line, old, new, text, note in rows
    )
    warnings = list(restore.warnings)
    if skipped:
        shown = ", ".join(map(str, skipped[:10])) + (", ..." if len(skipped) > 10 else "")
        warnings.append(
            f"skipped {len(skipped)} row(s) with neither an old nor a new code ({table.where} {shown})"
        )
    return ChangeTable(changes, tuple(warnings))


def _kind(old: str | None, new: str | None, text: str, per_old: Counter[str], per_new: Counter[str]) -> str:
    if old is None:
        return "added"
    if new is None:
        return "deleted"
    named = kind_of_text(text) if text else None
    if named and named not in ("added", "deleted"):
        return named
    if per_old[old] > 1:
        return "split"
    if per_new[new] > 1:
        return "merged"
    return "renamed" if old == new else "replaced"


def _check(mapping: dict[str, str], options: dict[str, str], source: str) -> None:
    for names, known, what in ((mapping, ROLES, "role"), (options, OPTIONS, "option")):
        for name in names:
            if name not in known:
                guess = closest(name, known)
                hint = f" (did you mean {guess!r}?)" if guess else ""
                raise InvalidContent(
                    f"unknown change-table {what} {name!r}{hint}; known: {', '.join(known)}", source=source
                )
    missing = [r for r in ("old", "new") if not mapping.get(r)]
    if missing:
        raise InvalidContent(
            f"the mapping needs the column of {' and '.join(missing)} (old=...,new=...)", source=source
        )
