"""Typed contexts of the landscape pages, and the functions that build them from the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kodeks.bootstrap import Kodeks
from kodeks.domain.landscape.model import Solution, Status
from kodeks.domain.local.municipalities import MUNICIPALITIES, REGIONS, Municipality
from kodeks.errors import InvalidRequest
from kodeks.services.landscape import queries
from kodeks.services.landscape.tasks import Resolution, TaskState
from kodeks.web.contexts import Link, PageMeta
from kodeks.web.urls import seg
from kodeks.web.visit import Visit

BASE = "/landskab"
STATUS_MARK = {Status.ADOPTED: "●", Status.PLANNED: "◐", Status.PHASED_OUT: "○"}
ROW_SORTS = ("name", "region", "count")


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class Cell:
    status: str  # adopted | planned | phased_out | none
    mark: str
    label: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    municipality: Link
    region: str
    cells: tuple[Cell, ...]
    in_use: int


@dataclass(frozen=True, slots=True)
class Column:
    link: Link
    scope: str
    supplier: str
    adopted: int


@dataclass(frozen=True, slots=True)
class MatrixPage:
    meta: PageMeta
    day: date
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[MatrixRow, ...]
    regions: tuple[Option, ...]
    scopes: tuple[Option, ...]
    categories: tuple[Option, ...]
    suppliers: tuple[Option, ...]
    sorts: tuple[Option, ...]
    row_sorts: tuple[Option, ...]
    limit: int
    downloads: tuple[Link, ...]
    empty: bool


def _href(v: Visit, path: str) -> str:
    extra = [f"dato={v.at.isoformat()}"] if v.at else []
    if v.lang != "da":
        extra.append(f"lang={v.lang}")
    return path + ("?" + "&".join(extra) if extra else "")


def solution_link(v: Visit, s: Solution) -> Link:
    return Link(_href(v, f"{BASE}/loesninger/{seg(s.id)}"), s.name)


def town_link(v: Visit, m: Municipality) -> Link:
    return Link(_href(v, f"{BASE}/kommuner/{m.code}"), m.name)


def _options(values: list[tuple[str, str]], chosen: str | None, v: Visit) -> tuple[Option, ...]:
    return (Option("", v.t("ls_all"), chosen is None), *(Option(a, b, a == chosen) for a, b in values))


def matrix_page(kodeks: Kodeks, v: Visit) -> MatrixPage:
    t = v.t
    region = v.param("region", limit=40)
    scope = v.param("type", "scope", limit=10)
    category = v.param("kategori", "category", limit=200)
    supplier = v.param("leverandoer", "supplier", limit=200)
    sort = v.param("sorter", "sort", limit=20) or "adoption"
    rows_by = v.param("raekker", "rows", limit=20) or "name"
    limit = v.int_param("antal", "limit", low=1, high=500) or 40
    if rows_by not in ROW_SORTS:
        raise InvalidRequest(f"raekker must be one of {', '.join(ROW_SORTS)}")
    when = v.when
    m = queries.matrix(
        kodeks.uow,
        kodeks.landscape,
        when,
        region=region,
        scope=scope,
        category=category,
        supplier=supplier,
        sort=sort,
        limit=limit,
    )
    columns = tuple(
        Column(solution_link(v, s), t(f"ls_scope_{s.scope.value}"), s.supplier or "", m.adopted(s.id))
        for s in m.solutions
    )
    rows = []
    for town in m.municipalities:
        cells = []
        for s in m.solutions:
            status = m.cells.get((town.code, s.id))
            key = status.value if status else "none"
            cells.append(Cell(key, STATUS_MARK.get(status, "") if status else "", t(f"ls_status_{key}")))
        in_use = sum(1 for c in cells if c.status == "adopted")
        rows.append(MatrixRow(town_link(v, town), town.region, tuple(cells), in_use))
    if rows_by == "region":
        rows.sort(key=lambda r: (r.region, r.municipality.label))
    elif rows_by == "count":
        rows.sort(key=lambda r: (-r.in_use, r.municipality.label))
    categories, suppliers = m.categories, m.suppliers
    day = when.at
    from urllib.parse import urlencode

    chosen = {"region": region, "scope": scope, "category": category, "supplier": supplier}
    filters = urlencode({k: x for k, x in {**chosen, "sort": sort, "limit": limit}.items() if x})
    downloads = (
        Link(
            f"/api/v1/landscape/matrix?format=csv&at={day.isoformat()}&{filters}",
            t("ls_matrix_as", what="CSV"),
        ),
        Link(
            f"/api/v1/landscape/matrix?format=xlsx&at={day.isoformat()}&{filters}",
            t("ls_matrix_as", what="XLSX"),
        ),
        *(
            Link(f"/api/v1/landscape/export?format={name}&at={day.isoformat()}", t("ls_all_as", what=label))
            for name, label in (("csv", "CSV"), ("xlsx", "XLSX"), ("sysap-ttl", "SYS-AP (Turtle)"))
        ),
    )
    return MatrixPage(
        v.meta(t("ls_title"), (Link(BASE, t("nav_landscape")),), "landscape"),
        day,
        t("ls_matrix_caption", day=day.isoformat(), shown=len(m.solutions), total=m.total_solutions),
        columns,
        tuple(rows),
        _options([(code, name) for code, name in REGIONS.items()], region, v),
        _options([(x, t(f"ls_scope_{x}")) for x in ("common", "cross", "local")], scope, v),
        _options([(c, c) for c in categories], category, v),
        _options([(s, s) for s in suppliers], supplier, v),
        tuple(Option(x, t(f"ls_sort_{x}"), x == sort) for x in queries.SORTS),
        tuple(Option(x, t(f"ls_rows_{x}"), x == rows_by) for x in ROW_SORTS),
        limit,
        downloads,
        not m.total_solutions and not (region or scope or category or supplier),
    )


@dataclass(frozen=True, slots=True)
class Purpose:
    label: str
    title: str | None
    state: str
    href: str | None


@dataclass(frozen=True, slots=True)
class UseRow:
    municipality: Link
    status: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class SolutionPage:
    meta: PageMeta
    solution: Solution
    scope: str
    facts: tuple[tuple[str, str], ...]
    predecessor: Link | None
    purposes: tuple[Purpose, ...]
    uses: tuple[UseRow, ...]
    curve: tuple[tuple[int, int], ...]
    api_href: str
    form: object | None = None  # editing.UseForm when a writer is signed in
    message: str | None = None


def _state(v: Visit, r: Resolution) -> str:
    if r.state is TaskState.MOVED:
        return v.t("ls_state_moved", codes=", ".join(r.codes))
    return v.t(f"ls_state_{r.state.value}")


def solution_page(kodeks: Kodeks, v: Visit, solution_id: str) -> SolutionPage:
    from kodeks.services.landscape.tasks import TaskResolver
    from kodeks.web.landscape.editing import use_form

    t = v.t
    when = v.when
    s = queries.solution_or_404(kodeks.uow, kodeks.landscape, solution_id, when)
    resolver = TaskResolver(kodeks.uow, when)
    purposes = []
    for ref in s.purposes:
        r = resolver.resolve(ref)
        code = r.codes[0] if r.codes and ref.scheme.value == "KLE" else None
        purposes.append(
            Purpose(
                str(ref),
                r.titles[0] if r.titles else None,
                _state(v, r),
                _href(v, f"{BASE}/opgaver/{code}") if code else None,
            )
        )
    uses, curve = queries.adoption(kodeks.uow, kodeks.landscape, s.id, when.known_at)
    rows = tuple(
        UseRow(
            town_link(v, MUNICIPALITIES[u.municipality]),
            t(f"ls_status_{u.status.value}"),
            u.valid.start.isoformat() if u.valid.start else "",
            u.valid.end.isoformat() if u.valid.end else "",
        )
        for u in sorted(uses, key=lambda u: (MUNICIPALITIES[u.municipality].name, u.valid.start or date.min))
        if u.municipality in MUNICIPALITIES
    )
    predecessor = None
    if s.predecessor:
        found = queries.list_solutions(kodeks.uow, kodeks.landscape, when)
        before = next((x for x in found if x.id == s.predecessor), None)
        predecessor = solution_link(v, before) if before else Link("#", s.predecessor)
    facts = tuple(
        (t(label), value)
        for label, value in (
            ("ls_category", s.category),
            ("ls_supplier", s.supplier),
            ("ls_owner", s.owner),
        )
        if value
    )
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), solution_link(v, s))
    return SolutionPage(
        v.meta(s.name, crumbs, "landscape"),
        s,
        t(f"ls_scope_{s.scope.value}"),
        facts,
        predecessor,
        tuple(purposes),
        rows,
        tuple(curve),
        f"/api/v1/landscape/solutions/{seg(s.id)}",
        use_form(kodeks, v.request, s.id),
        t("ls_use_saved") if v.param("besked", limit=20) == "gemt" else None,
    )


@dataclass(frozen=True, slots=True)
class TaskRow:
    municipality: Link
    solutions: tuple[Link, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TaskPage:
    meta: PageMeta
    code: str
    title: str | None
    lead: str
    rows: tuple[TaskRow, ...]
    solutions: tuple[Link, ...]


def task_page(kodeks: Kodeks, v: Visit, code: str) -> TaskPage:
    t = v.t
    view = queries.task(kodeks.uow, kodeks.landscape, code, v.when)
    rows = []
    for town_code, supports in sorted(view.by_municipality.items(), key=lambda x: MUNICIPALITIES[x[0]].name):
        by_id = {s.solution.id: s for s in supports}
        notes = tuple(
            sorted(
                {f"{s.resolution.ref}: {_state(v, s.resolution)}" for s in supports if s.resolution.flagged}
            )
        )
        rows.append(
            TaskRow(
                town_link(v, MUNICIPALITIES[town_code]),
                tuple(solution_link(v, s.solution) for s in by_id.values()),
                notes,
            )
        )
    title = t("ls_task_title", code=view.code)
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), Link(_href(v, f"{BASE}/opgaver/{view.code}"), title))
    return TaskPage(
        v.meta(title, crumbs, "landscape"),
        view.code,
        view.title,
        t("ls_task_lead", day=v.when.at.isoformat()),
        tuple(rows),
        tuple(solution_link(v, s) for s in view.solutions),
    )


@dataclass(frozen=True, slots=True)
class CoverageRow:
    code: Link
    title: str
    solutions: tuple[Link, ...]
    several: bool


@dataclass(frozen=True, slots=True)
class TreeGroup:
    """A KLE hovedgruppe with every emne under it valid on the day: served ones with their
    solutions, gaps (no solution) and overlaps (several) marked."""

    code: str
    title: str
    served: int
    total: int
    rows: tuple[CoverageRow, ...]  # a row without solutions is a gap


@dataclass(frozen=True, slots=True)
class CoveragePage:
    meta: PageMeta
    town: Municipality
    lead: str
    kle_available: bool
    rows: tuple[CoverageRow, ...]
    gaps: tuple[tuple[str, str], ...]
    gaps_heading: str
    flagged: tuple[tuple[str, str], ...]
    tree: tuple[TreeGroup, ...] = ()
    downloads: tuple[Link, ...] = ()


def coverage_page(kodeks: Kodeks, v: Visit, municipality: str) -> CoveragePage:
    t = v.t
    c = queries.coverage(kodeks.uow, kodeks.landscape, municipality, v.when)
    rows = []
    for code, supports in sorted(c.served.items()):
        by_id = {s.solution.id: s.solution for s in supports}
        rows.append(
            CoverageRow(
                Link(_href(v, f"{BASE}/opgaver/{code}"), code),
                c.titles.get(code, ""),
                tuple(solution_link(v, s) for s in by_id.values()),
                len(by_id) > 1,
            )
        )
    by_code = {r.code.label: r for r in rows}
    emner: dict[str, list[CoverageRow]] = {}
    for code, title in sorted(c.titles.items()):
        if code.count(".") == 2:
            row = by_code.get(code) or CoverageRow(
                Link(_href(v, f"{BASE}/opgaver/{code}"), code), title, (), False
            )
            emner.setdefault(code[:2], []).append(row)
    for code, row in by_code.items():  # served codes KLE does not list on the day (FORM, unchecked)
        if code not in c.titles:
            emner.setdefault(code[:2], []).append(row)
    tree = tuple(
        TreeGroup(
            group,
            c.titles.get(group, ""),
            sum(1 for r in group_rows if r.solutions),
            len(group_rows),
            tuple(group_rows),
        )
        for group, group_rows in sorted(emner.items())
    )
    lead = t(
        "ls_coverage_lead",
        served=len(c.served),
        overlaps=len(c.overlaps),
        gaps=len(c.gaps),
        day=c.at.isoformat(),
    )
    title = t("ls_coverage_title", name=c.municipality.name)
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), town_link(v, c.municipality))
    return CoveragePage(
        v.meta(title, crumbs, "landscape"),
        c.municipality,
        lead,
        c.kle_available,
        tuple(rows),
        tuple(c.gaps),
        t("ls_gaps", count=len(c.gaps)),
        tuple((str(r.ref), _state(v, r)) for r in c.flagged),
        tree,
        tuple(
            Link(
                f"/api/v1/landscape/coverage?municipality={c.municipality.code}&at={c.at.isoformat()}&format={f}",
                f.upper(),
            )
            for f in ("csv", "xlsx")
        ),
    )


@dataclass(frozen=True, slots=True)
class SupplierRow:
    supplier: str
    solutions: int
    municipalities: int
    uses: int
    share: float
    percent: str


@dataclass(frozen=True, slots=True)
class ContractRow:
    end: str
    solution: Link
    contract: str
    supplier: str


@dataclass(frozen=True, slots=True)
class SuppliersPage:
    meta: PageMeta
    suppliers: tuple[SupplierRow, ...]
    contracts_heading: str
    contracts: tuple[ContractRow, ...]
    downloads: tuple[Link, ...] = ()
    by_year: tuple[tuple[int, int], ...] = ()  # contracts ending per year, for the bar chart
    most: int = 1


def suppliers_page(kodeks: Kodeks, v: Visit) -> SuppliersPage:
    t = v.t
    days = v.int_param("dage", "days", low=1, high=3650) or 365
    rows = tuple(
        SupplierRow(r.supplier, len(r.solutions), r.municipalities, r.uses, r.share, f"{r.share:.1%}")
        for r in queries.suppliers(kodeks.uow, kodeks.landscape, v.when)
    )
    contracts = tuple(
        ContractRow(
            r.contract.end.isoformat() if r.contract.end else "",
            solution_link(v, r.solution),
            r.contract.id,
            r.contract.supplier or "",
        )
        for r in queries.contracts_ending(kodeks.uow, kodeks.landscape, v.when, within_days=days)
    )
    title = t("ls_suppliers_title")
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), Link(_href(v, f"{BASE}/leverandoerer"), title))
    day = v.when.at.isoformat()
    downloads = tuple(
        Link(
            f"/api/v1/landscape/{what}?format={fmt}&at={day}"
            + (f"&within_days={days}" if what == "contracts" else ""),
            f"{t(label)} ({fmt.upper()})",
        )
        for what, label in (("suppliers", "ls_suppliers"), ("contracts", "ls_contracts"))
        for fmt in ("csv", "xlsx")
    )
    years: dict[int, int] = {}
    for c in contracts:
        if c.end:
            years[int(c.end[:4])] = years.get(int(c.end[:4]), 0) + 1
    return SuppliersPage(
        v.meta(title, crumbs, "landscape"),
        rows,
        t("ls_contracts_ending", days=days),
        contracts,
        downloads,
        tuple(sorted(years.items())),
        max(years.values(), default=1),
    )


@dataclass(frozen=True, slots=True)
class MapArea:
    path: str
    css: str
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class MapPage:
    meta: PageMeta
    day: date
    height: float
    areas: tuple[MapArea, ...]
    solutions: tuple[Option, ...]
    measures: tuple[Option, ...]
    legend: tuple[tuple[str, str], ...]
    caption: str


def map_page(kodeks: Kodeks, v: Visit) -> MapPage:
    from kodeks.services.landscape import maps

    t = v.t
    solution = v.param("loesning", "solution", limit=100)
    measure = v.param("maal", "measure", limit=20) or ("status" if solution else "count")
    view = maps.map_view(kodeks.uow, kodeks.landscape, v.when, solution=solution, measure=measure)
    every = queries.list_solutions(kodeks.uow, kodeks.landscape, v.when)
    areas = []
    for a in view.areas:
        if measure == "status":
            label = f"{a.name}: {t(f'ls_status_{a.value}')}"
        else:
            label = f"{a.name}: {a.count} {t('ls_in_use')}"
        areas.append(MapArea(a.path, f"ls-{a.value}", label, _href(v, f"{BASE}/kommuner/{a.code}")))
    if measure == "status":
        legend = tuple((f"ls-{s}", t(f"ls_status_{s}")) for s in ("adopted", "planned", "phased_out", "none"))
        chosen = next((s.name for s in every if s.id == solution), solution or "")
        caption = t("ls_map_status", solution=chosen, day=v.when.at.isoformat())
    else:
        counts = [a.count or 0 for a in view.areas]
        bounds = [min(counts, default=0), *view.limits]
        highs = [b - 1 for b in view.limits] + [max(counts, default=0)]
        legend = tuple(
            (f"ls-c{i}", f"{low}–{high}" if high > low else str(low))
            for i, (low, high) in enumerate(zip(bounds, highs, strict=True))
        )
        caption = t("ls_map_count", day=v.when.at.isoformat())
    title = t("ls_map")
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), Link(_href(v, f"{BASE}/kort"), title))
    return MapPage(
        v.meta(title, crumbs, "landscape"),
        v.when.at,
        view.height,
        tuple(areas),
        tuple(Option(s.id, s.name, s.id == solution) for s in sorted(every, key=lambda s: s.name.casefold())),
        tuple(Option(m, t(f"ls_measure_{m}"), m == measure) for m in maps.MEASURES),
        legend,
        caption,
    )


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    href: str
    css: str
    points: str  # SVG polyline points
    last: int


@dataclass(frozen=True, slots=True)
class AdoptionPage:
    meta: PageMeta
    lines: tuple[Line, ...]
    years: tuple[tuple[int, float], ...]  # (year, x) for the axis
    ticks: tuple[tuple[int, float], ...]  # (municipalities, y)
    table: tuple[tuple[str, tuple[int, ...]], ...]  # the same numbers as a table


CHART_W, CHART_H, PAD = 800.0, 320.0, 40.0


def adoption_page(kodeks: Kodeks, v: Visit) -> AdoptionPage:
    t = v.t
    today = v.when.at
    first = v.int_param("fra", "from", low=1900, high=2200) or today.year - 10
    last = v.int_param("til", "to", low=1900, high=2200) or today.year + 1
    chosen = v.params("loesning", limit=30) or None
    curves = queries.adoption_curves(
        kodeks.uow, kodeks.landscape, v.when, first_year=first, last_year=last, solutions=chosen
    )
    span = max(1, last - first)

    def x(year: int) -> float:
        return round(PAD + (year - first) * (CHART_W - 2 * PAD) / span, 1)

    def y(n: int) -> float:
        return round(CHART_H - PAD - n * (CHART_H - 2 * PAD) / 98, 1)

    lines = tuple(
        Line(
            c.solution.name,
            _href(v, f"{BASE}/loesninger/{seg(c.solution.id)}"),
            f"ls-line{i % 8}",
            " ".join(f"{x(year)},{y(n)}" for year, n in c.points),
            c.points[-1][1] if c.points else 0,
        )
        for i, c in enumerate(curves)
    )
    title = t("ls_adoption_title")
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), Link(_href(v, f"{BASE}/udbredelse"), title))
    return AdoptionPage(
        v.meta(title, crumbs, "landscape"),
        lines,
        tuple((year, x(year)) for year in range(first, last + 1)),
        tuple((n, y(n)) for n in (0, 25, 50, 75, 98)),
        tuple((c.solution.name, tuple(n for _, n in c.points)) for c in curves),
    )


@dataclass(frozen=True, slots=True)
class CodeBankRow:
    id: str
    name: str
    purpose: str
    task: Link
    owner: str
    risk: str
    dpia: str
    licence: str
    repository: str | None
    used_by: int
    offers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeBankPage:
    meta: PageMeta
    q: str
    rows: tuple[CodeBankRow, ...]


def codebank_page(kodeks: Kodeks, v: Visit) -> CodeBankPage:
    from kodeks.services.landscape import codebank

    t = v.t
    q = v.param("q", limit=200) or ""
    task = v.param("opgave", "task", limit=20)
    entries = codebank.search(kodeks.uow, kodeks.codebank, q=q or None, task=task)
    offers = codebank.offers(kodeks.uow, kodeks.codebank)
    snap = queries.snapshot(kodeks.uow, kodeks.landscape, v.when)
    users: dict[str, set[str]] = {}
    for u in snap.uses:
        if u.status is Status.ADOPTED:
            users.setdefault(u.solution, set()).add(u.municipality)
    rows = tuple(
        CodeBankRow(
            e.id,
            e.name,
            e.purpose,
            Link(_href(v, f"{BASE}/opgaver/{e.task.code}"), str(e.task)),
            MUNICIPALITIES[e.owner].name,
            t(f"ls_risk_{e.risk.value}"),
            t(f"ls_dpia_{e.dpia.value}"),
            e.licence,
            e.repository,
            len(users.get(e.id, ())),
            tuple(
                t(
                    f"ls_offer_{o.kind.value}",
                    town=MUNICIPALITIES[o.municipality].name,
                    interested=len(o.interested),
                )
                for o in offers
                if o.entry == e.id
            ),
        )
        for e in entries
    )
    title = t("ls_codebank")
    crumbs = (Link(_href(v, BASE), t("nav_landscape")), Link(_href(v, f"{BASE}/kodebank"), title))
    return CodeBankPage(v.meta(title, crumbs, "landscape"), q, rows)
