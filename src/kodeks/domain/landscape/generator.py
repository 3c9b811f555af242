"""A realistic, synthetic landscape for the 98 real municipalities (there is no public dataset).

Real: the municipalities, the KLE emner (taken from the registry by the caller), the names of the
common solutions (KOMBIT's, OS2's and national ones are public knowledge) and of widely sold
products. Generated, and only illustrative: suppliers per product as commonly known, every date,
every adoption, every contract, and the numbered local solutions that fill up to ``systems``.

Adoption follows an S-curve: a common solution launched in year *y* reaches a municipality after a
logistic delay (most within two years), planned a few months before; the solution it replaces is
phased out the day the new one is adopted. Each municipality keeps one main product per market
(ESDH, care, jobcentre, payroll, ...) and may switch once, running both for a short while.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kodeks.domain.landscape.model import Contract, Scope, Solution, Status, TaskRef, TaskScheme, Use, slug
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.domain.period import Period

# (name, supplier, category, KLE hovedgrupper, launch year offset in the window, replaces)
COMMON: tuple[tuple[str, str, str, tuple[str, ...], int, str | None], ...] = (
    ("Serviceplatformen", "KOMBIT", "Infrastruktur", ("85",), 0, None),
    ("Støttesystemet Organisation", "KOMBIT", "Infrastruktur", ("85",), 1, None),
    ("Støttesystemet Klassifikation", "KOMBIT", "Infrastruktur", ("85",), 1, None),
    ("Beskedfordeler", "KOMBIT", "Infrastruktur", ("85",), 2, None),
    ("Fælleskommunalt Adgangsstyringssystem", "KOMBIT", "Infrastruktur", ("85",), 2, None),
    ("SAPA", "KOMBIT", "Infrastruktur", ("85",), 4, None),
    ("Kommunernes Ydelsessystem (KY)", "KOMBIT", "Kontante ydelser", ("32",), 3, "KMD Aktiv"),
    ("Kommunernes Sygedagpengesystem (KSD)", "KOMBIT", "Beskæftigelse", ("15", "32"), 2, "KMD Sygedagpenge"),
    ("Aula", "KOMBIT", "Skole og dagtilbud", ("17", "28"), 3, "SkoleIntra"),
    ("Fælles Bibliotekssystem (Cicero)", "KOMBIT", "Biblioteker", ("21",), 0, None),
    ("Byg og Miljø", "Social- og Boligstyrelsen", "Byggeri og miljø", ("02", "09"), 1, None),
    ("Fælles Medicinkort (FMK)", "Sundhedsdatastyrelsen", "Sundhed", ("29",), 0, None),
    ("NemLog-in", "Digitaliseringsstyrelsen", "Infrastruktur", ("85",), 0, None),
    ("Vejman.dk", "Vejdirektoratet", "Veje og trafik", ("05",), 0, None),
)
# predecessors of common solutions: (name, supplier, category)
PREDECESSORS = {
    "KMD Aktiv": ("KMD", "Kontante ydelser"),
    "KMD Sygedagpenge": ("KMD", "Beskæftigelse"),
    "SkoleIntra": ("Itslearning", "Skole og dagtilbud"),
}
CROSS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("OS2mo", "Magenta", "Organisation og personale", ("81", "85")),
    ("OS2rollekatalog", "Digital Identity", "Infrastruktur", ("85",)),
    ("OS2faktor", "Digital Identity", "Infrastruktur", ("85",)),
    ("OS2sofd", "Digital Identity", "Organisation og personale", ("81",)),
    ("OS2forms", "Magenta", "Selvbetjening", ("85", "23")),
    ("OS2borgerPC", "Magenta", "Biblioteker", ("21",)),
    ("OS2iot", "OS2", "Forsyning", ("13", "05")),
    ("OS2valghalla", "OS2", "Valg", ("84",)),
    ("OS2autoproces", "OS2", "Infrastruktur", ("85",)),
)
# markets where each municipality runs one product: (category, KLE hovedgrupper, products)
MARKETS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "ESDH",
        ("85",),
        (
            ("SBSYS", "SBSYS-fællesskabet"),
            ("Acadre", "Formpipe"),
            ("Get Organized", "Netcompany"),
            ("WorkZone", "KMD"),
            ("eDoc", "Fujitsu"),
        ),
    ),
    (
        "Omsorg og sundhed",
        ("27", "29"),
        (("Nexus", "Systematic"), ("Cura", "Systematic"), ("KMD Care", "KMD")),
    ),
    ("Socialområdet", ("27",), (("DUBU", "KMD"), ("EG Sensum", "EG"), ("Bosted System", "Bosted"))),
    ("Beskæftigelse", ("15",), (("Momentum", "KMD"), ("Fasit", "Schultz"))),
    ("Løn", ("81",), (("Opus Løn", "KMD"), ("SD Løn", "Silkeborg Data"))),
    ("Økonomi", ("85", "88"), (("Opus Økonomi", "KMD"), ("Prisme", "Fujitsu"))),
    ("Skole og dagtilbud", ("17", "28"), (("Tabulex", "EG"), ("Meebook", "Meebook"))),
)
LOCAL_CATEGORIES = (
    ("Byggeri og miljø", ("01", "02", "09")),
    ("Veje og trafik", ("05",)),
    ("Affald og forsyning", ("06", "07", "13")),
    ("Kultur og fritid", ("18", "20", "21")),
    ("Ejendomme", ("82", "83")),
    ("Borgerservice", ("23", "25")),
    ("Erhverv", ("22", "24")),
    ("Beredskab", ("14",)),
)
LOCAL_SUPPLIERS = (
    "KMD",
    "Netcompany",
    "EG",
    "Systematic",
    "Fujitsu",
    "Atea",
    "Netic",
    "Magenta",
    "Visma",
    "Intern udvikling",
)


@dataclass(frozen=True, slots=True)
class Generated:
    solutions: list[Solution]
    uses: list[Use]


class _Gen:
    def __init__(self, emner: Sequence[str], first: date, years: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.first = first
        self.last = date(first.year + years, 1, 1)
        self.days = (self.last - first).days
        by_group: dict[str, list[str]] = {}
        for code in sorted(set(emner)):
            by_group.setdefault(code[:2], []).append(code)
        self.by_group = by_group
        self.towns = sorted(MUNICIPALITIES)

    def tasks(self, groups: Sequence[str], n: int) -> tuple[TaskRef, ...]:
        pool = [c for g in groups for c in self.by_group.get(g, [])]
        if not pool:
            return ()
        return tuple(TaskRef(TaskScheme.KLE, c) for c in self.rng.sample(pool, min(n, len(pool))))

    def day(self, offset_days: float) -> date:
        return self.first + timedelta(days=max(0, min(self.days - 1, int(offset_days))))

    def contract(self, sid: str, supplier: str, start: date) -> Contract:
        years = self.rng.choice((4, 5, 6, 8))
        return Contract(
            f"{sid}-kontrakt", supplier, "operations contract", start, start.replace(year=start.year + years)
        )


def _adoption_day(g: _Gen, launch: date) -> date:
    """Launch + a logistic delay: half within about a year, nearly all within three."""
    u = min(max(g.rng.random(), 1e-6), 1 - 1e-6)
    delay = 365 + 180 * math.log(u / (1 - u))
    return launch + timedelta(days=max(0, int(delay)))


def _life(sid: str, town: str, planned: date, adopted: date, ended: date | None, last: date) -> list[Use]:
    out: list[Use] = []
    if planned < adopted:
        out.append(
            Use(sid, town, Status.PLANNED, Period(planned, min(adopted, last) if adopted < last else None))
        )
    if adopted < last:
        end = ended if ended is not None and ended < last else None
        out.append(Use(sid, town, Status.ADOPTED, Period(adopted, end)))
        if end is not None:
            out.append(Use(sid, town, Status.PHASED_OUT, Period(end, None)))
    return out


def generate(
    emner: Sequence[str], *, systems: int = 100, years: int = 10, first_year: int = 2016, seed: int = 14
) -> Generated:
    """``systems`` solutions used by the 98 municipalities over ``years`` years from ``first_year``."""
    if systems < 1 or systems > 100_000 or years < 1 or years > 100:
        raise ValueError("systems must be 1-100000 and years 1-100")
    g = _Gen(emner, date(first_year, 1, 1), years, seed)
    solutions: list[Solution] = []
    uses: list[Use] = []

    def room() -> bool:
        return len(solutions) < systems

    for name, supplier, category, groups, offset, replaces in COMMON:
        if not room():
            break
        sid = slug(name)
        launch = g.day(offset * 365 * years / 10)
        predecessor = None
        if replaces and len(solutions) + 1 < systems:
            old_supplier, old_category = PREDECESSORS[replaces]
            predecessor = slug(replaces)
            solutions.append(
                Solution(
                    predecessor,
                    replaces,
                    Scope.LOCAL,
                    old_category,
                    supplier=old_supplier,
                    purposes=g.tasks(groups, 3),
                )
            )
        solutions.append(
            Solution(
                sid,
                name,
                Scope.COMMON,
                category,
                owner="KL" if supplier == "KOMBIT" else supplier,
                supplier=supplier,
                predecessor=predecessor,
                purposes=g.tasks(groups, 3),
                contracts=(g.contract(sid, supplier, launch),),
            )
        )
        for town in g.towns:
            adopted = _adoption_day(g, launch)
            planned = adopted - timedelta(days=g.rng.randint(60, 300))
            uses.extend(_life(sid, town, max(planned, g.first), adopted, None, g.last))
            if predecessor:
                uses.extend(_life(predecessor, town, g.first, g.first, adopted, g.last))
    for name, supplier, category, groups in CROSS:
        if not room():
            break
        sid = slug(name)
        solutions.append(
            Solution(sid, name, Scope.CROSS, category, supplier=supplier, purposes=g.tasks(groups, 2))
        )
        launch = g.day(g.rng.randint(0, g.days // 2))
        for town in g.rng.sample(g.towns, g.rng.randint(10, 60)):
            adopted = _adoption_day(g, launch)
            uses.extend(_life(sid, town, max(adopted - timedelta(days=120), g.first), adopted, None, g.last))
    for category, groups, products in MARKETS:
        made = []
        for name, supplier in products:
            if not room():
                break
            sid = slug(name)
            solutions.append(
                Solution(
                    sid,
                    name,
                    Scope.LOCAL,
                    category,
                    supplier=supplier,
                    purposes=g.tasks(groups, 3),
                    contracts=(g.contract(sid, supplier, g.day(g.rng.randint(0, g.days))),),
                )
            )
            made.append(sid)
        if not made:
            break
        for town in g.towns:
            first = g.rng.choice(made)
            if len(made) > 1 and g.rng.random() < 0.3:  # switches product once, runs both for a while
                second = g.rng.choice([m for m in made if m != first])
                switch = g.day(g.rng.randint(g.days // 4, g.days - 30))
                uses.extend(
                    _life(
                        first, town, g.first, g.first, switch + timedelta(days=g.rng.randint(0, 200)), g.last
                    )
                )
                uses.extend(_life(second, town, switch - timedelta(days=180), switch, None, g.last))
            else:
                uses.extend(_life(first, town, g.first, g.first, None, g.last))
    n = 0
    while room():
        n += 1
        category, groups = LOCAL_CATEGORIES[n % len(LOCAL_CATEGORIES)]
        supplier = g.rng.choice(LOCAL_SUPPLIERS)
        shared = g.rng.random() < 0.15
        sid = f"lokal-{n:05d}"
        solutions.append(
            Solution(
                sid,
                f"{category} – fagsystem {n}",
                Scope.CROSS if shared else Scope.LOCAL,
                category,
                supplier=supplier,
                purposes=g.tasks(groups, g.rng.randint(1, 3)),
                contracts=(g.contract(sid, supplier, g.day(g.rng.randint(0, g.days))),),
            )
        )
        for town in g.rng.sample(g.towns, g.rng.randint(2, 6) if shared else 1):
            adopted = g.day(g.rng.randint(0, g.days))
            ended = adopted + timedelta(days=g.rng.randint(700, 4000)) if g.rng.random() < 0.35 else None
            uses.extend(_life(sid, town, max(adopted - timedelta(days=90), g.first), adopted, ended, g.last))
    return Generated(solutions, uses)
