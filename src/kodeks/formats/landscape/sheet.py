"""The landscape sheet: CSV or XLSX, one row per municipality × solution × period.

Columns (Danish or English names, any order, case-insensitive; only ``kommunekode`` or ``system``
are needed): ``kommunekode``/``municipality``, ``system``/``solution`` (name), ``system_id``,
``status`` (i drift/adopted, planlagt/planned, udfaset/phased_out), ``fra``/``from``, ``til``/``to``
(dates, ``til`` excluded), ``kle``/``tasks`` (task codes separated by ``;``: ``27.24.00; FORM
65.50.05``), and the solution's ``kategori``, ``type`` (fælleskommunal/tværkommunal/lokal),
``leverandør``, ``ejer``, ``forgænger``, ``beskrivelse``, ``system_kle``, ``kontrakt``,
``kontrakt_udløb``. A row without municipality describes the solution only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from typing import Any

from kodeks.domain.landscape.bundle import LandscapeBundle, Problem
from kodeks.domain.landscape.codec import status_from
from kodeks.domain.landscape.model import Contract, Scope, Solution, TaskRef, Use, slug, task_ref
from kodeks.domain.landscape.places import municipality_code
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.domain.period import Period
from kodeks.formats.cells import csv_row, from_csv_cell, stable_xlsx, xlsx_row
from kodeks.formats.table import Table, read_any

ALIASES = {
    "municipality": ("kommunekode", "kommune", "municipality", "municipality_code", "komkode"),
    "solution": ("system", "solution", "løsning", "losning", "it-system", "systemnavn"),
    "solution_id": ("system_id", "solution_id", "id"),
    "status": ("status",),
    "from": ("fra", "from", "valid_from", "ibrugtaget"),
    "to": ("til", "to", "valid_to", "udfaset_dato"),
    "tasks": ("kle", "tasks", "opgaver", "purposes"),
    "category": ("kategori", "category"),
    "scope": ("type", "scope"),
    "supplier": ("leverandør", "leverandor", "supplier"),
    "owner": ("ejer", "owner"),
    "predecessor": ("forgænger", "forgaenger", "predecessor"),
    "description": ("beskrivelse", "description"),
    "solution_tasks": ("system_kle", "solution_tasks"),
    "contract": ("kontrakt", "contract"),
    "contract_end": ("kontrakt_udløb", "kontrakt_udlob", "contract_end"),
}
SCOPES = {
    "fælleskommunal": Scope.COMMON,
    "faelleskommunal": Scope.COMMON,
    "common": Scope.COMMON,
    "tværkommunal": Scope.CROSS,
    "tvaerkommunal": Scope.CROSS,
    "cross": Scope.CROSS,
    "lokal": Scope.LOCAL,
    "local": Scope.LOCAL,
}
COLUMNS = (
    "kommunekode",
    "kommune",
    "system_id",
    "system",
    "status",
    "fra",
    "til",
    "kle",
    "type",
    "kategori",
    "leverandør",
    "ejer",
    "forgænger",
    "beskrivelse",
    "system_kle",
    "kontrakt",
    "kontrakt_udløb",
)
_SOLUTION_FIELDS = ("category", "scope", "supplier", "owner", "predecessor", "description", "solution_tasks")


def _columns(table: Table) -> dict[str, int]:
    found: dict[str, int] = {}
    lowered = [h.strip().lower() for h in table.header]
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in lowered:
                found[name] = lowered.index(alias)
                break
    return found


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if len(text) == 10 and text[2] in "-./" and text[5] in "-./":  # 31-12-2024 (Danish order)
        text = f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return date.fromisoformat(text[:10])


def _tasks(text: str) -> tuple[TaskRef, ...]:
    parts = [p.strip() for p in text.replace(",", ";").replace("\n", ";").split(";")]
    return tuple(sorted({task_ref(p) for p in parts if p}))


def read(data: bytes, source: str) -> LandscapeBundle:
    table = read_any(data, source)
    bundle = LandscapeBundle(source, "sheet")
    cols = _columns(table)
    if "solution" not in cols and "solution_id" not in cols:
        raise_problem = Problem("header", "no column 'system' (or 'solution', 'system_id')")
        bundle.problems.append(raise_problem)
        return bundle
    solutions: dict[str, Solution] = {}
    said: dict[tuple[str, str], tuple[str, str]] = {}  # (solution, field) -> (value, where)
    for row in table.rows:
        where = table.location(row.line)

        def cell(name: str, row: Any = row) -> str:
            index = cols.get(name)
            return from_csv_cell(row.cells[index]).strip() if index is not None else ""

        try:
            name = cell("solution") or cell("solution_id")
            sid = cell("solution_id") or slug(name)
            solution = solutions.get(sid) or Solution(sid, name or sid)
            for field_name in _SOLUTION_FIELDS:
                value = cell(field_name)
                if not value:
                    continue
                earlier = said.setdefault((sid, field_name), (value, where))
                if earlier[0] != value:
                    bundle.problems.append(
                        Problem(
                            where, f"{field_name} of {sid} is {value!r}; {earlier[1]} said {earlier[0]!r}"
                        )
                    )
                    continue
                solution = _with(solution, field_name, value)
            contract = cell("contract")
            if contract and contract not in {c.id for c in solution.contracts}:
                end = _day(cell("contract_end"))
                solution = replace(
                    solution, contracts=(*solution.contracts, Contract(contract, solution.supplier, end=end))
                )
            solutions[sid] = solution
            town = cell("municipality")
            if not town:
                continue
            code = municipality_code(town)
            if code is None:
                bundle.problems.append(
                    Problem(where, f"{town!r} is not a Danish municipality (code or name)")
                )
                continue
            bundle.uses.append(
                Use(
                    sid,
                    code,
                    status_from(cell("status")),
                    Period(_day(cell("from")), _day(cell("to"))),
                    _tasks(cell("tasks")),
                )
            )
        except ValueError as exc:
            bundle.problems.append(Problem(where, str(exc)))
    bundle.solutions = list(solutions.values())
    return bundle


def _with(solution: Solution, name: str, value: str) -> Solution:
    if name == "scope":
        scope = SCOPES.get(value.lower())
        if scope is None:
            raise ValueError(f"type {value!r} is not fælleskommunal, tværkommunal or lokal")
        return replace(solution, scope=scope)
    if name == "solution_tasks":
        return replace(solution, purposes=_tasks(value))
    if name == "predecessor":
        return replace(solution, predecessor=slug(value) if " " in value or value != value.lower() else value)
    changes: dict[str, Any] = {name: value}
    return replace(solution, **changes)


def rows(solutions: list[Solution], uses: list[Use]) -> list[list[str]]:
    """The sheet's rows (header first): every use, then each solution without uses on one row."""
    by_id = {s.id: s for s in solutions}
    out: list[list[str]] = [list(COLUMNS)]
    used = set()
    for u in sorted(uses, key=lambda u: (u.solution, u.municipality, u.valid.start or date.min)):
        s = by_id.get(u.solution)
        if s is None:
            continue
        used.add(s.id)
        town = MUNICIPALITIES.get(u.municipality)
        out.append(_row(s, u.municipality, town.name if town else "", u))
    for s in sorted(solutions, key=lambda s: s.id):
        if s.id not in used:
            out.append(_row(s, "", "", None))
    return out


def _row(s: Solution, code: str, town: str, u: Use | None) -> list[str]:
    contract = s.contracts[0] if s.contracts else None
    return [
        code,
        town,
        s.id,
        s.name,
        u.status.value if u else "",
        u.valid.start.isoformat() if u and u.valid.start else "",
        u.valid.end.isoformat() if u and u.valid.end else "",
        "; ".join(str(t) for t in u.purposes) if u else "",
        {Scope.COMMON: "fælleskommunal", Scope.CROSS: "tværkommunal", Scope.LOCAL: "lokal"}[s.scope],
        s.category or "",
        s.supplier or "",
        s.owner or "",
        s.predecessor or "",
        s.description or "",
        "; ".join(str(t) for t in s.purposes),
        contract.id if contract else "",
        contract.end.isoformat() if contract and contract.end else "",
    ]


def write_csv(solutions: list[Solution], uses: list[Use]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows(solutions, uses):
        writer.writerow(csv_row(row))
    return buffer.getvalue().encode("utf-8")


def write_xlsx(solutions: list[Solution], uses: list[Use]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Landskab")
    for row in rows(solutions, uses):
        sheet.append(xlsx_row(sheet, row))
    return stable_xlsx(workbook)
