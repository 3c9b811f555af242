"""Recording a municipality's use of a solution in the browser (signed in at ``/redaktion/log-ind``).

Who may: an administrator for any municipality; a municipality's user for that municipality only.
The form adds one period (status, from, to) to the municipality's held uses of the solution; the
import service validates the whole (overlaps, codes) and records it bitemporally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.requests import Request

from kodeks.bootstrap import Kodeks
from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.codec import status_from
from kodeks.domain.landscape.model import Use
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.domain.period import Period
from kodeks.errors import Forbidden, InvalidRequest, Unauthorized
from kodeks.services.landscape import queries
from kodeks.services.landscape.importing import LandscapeImportReport, import_bundle
from kodeks.services.queries import When
from kodeks.web.access import actor, credential, csrf_token


@dataclass(frozen=True, slots=True)
class UseForm:
    action: str
    csrf: str
    municipality: str | None  # fixed for a municipality's user; None: an administrator chooses


def writer_municipality(kodeks: Kodeks, request: Request) -> str | None:
    """``None`` for an administrator, else the signed-in user's municipality; refuses anyone else."""
    person = actor(kodeks, request)
    if not person.authenticated:
        raise Unauthorized("sign in first")
    if person.admin:
        return None
    code = (person.organisation or "").lstrip("0")
    if code in MUNICIPALITIES:
        return code
    raise Forbidden("only an administrator or a municipality's own users may record its use")


def use_form(kodeks: Kodeks, request: Request, solution_id: str) -> UseForm | None:
    """The form for the signed-in writer, or ``None`` when nobody who may write is signed in."""
    secret = credential(request)
    if secret is None:
        return None
    try:
        town = writer_municipality(kodeks, request)
    except (Unauthorized, Forbidden):
        return None
    return UseForm(f"/landskab/loesninger/{solution_id}/anvendelse", csrf_token(secret), town)


def _day(value: str, name: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{name} {value[:20]!r} is not a date (YYYY-MM-DD)") from None


def add_use(
    kodeks: Kodeks, request: Request, solution_id: str, form: dict[str, str]
) -> LandscapeImportReport:
    own = writer_municipality(kodeks, request)
    town = (own or form.get("kommune", "")).strip().lstrip("0")
    if town not in MUNICIPALITIES:
        raise InvalidRequest(f"{town!r} is not a Danish municipality code")
    try:
        status = status_from(form.get("status"))
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    start, end = _day(form.get("fra", ""), "fra"), _day(form.get("til", ""), "til")
    if start and end and end <= start:
        raise InvalidRequest("'til' must be after 'fra'")
    when = When.of()
    queries.solution_or_404(kodeks.uow, kodeks.landscape, solution_id, when)
    held, _ = queries.adoption(kodeks.uow, kodeks.landscape, solution_id, when.known_at)
    uses = [u for u in held if u.municipality == town] + [Use(solution_id, town, status, Period(start, end))]
    bundle = LandscapeBundle(f"web: {solution_id} in {town}", "web", [], uses)
    who = actor(kodeks, request).name
    return import_bundle(kodeks.uow, kodeks.landscape, bundle, actor=who, only_municipality=own)
