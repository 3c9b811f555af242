"""Browser tests: the real app served by uvicorn on 127.0.0.1, driven by headless Chromium.

Chromium is Debian's ``/usr/bin/chromium`` (``scripts/browser`` installs it; Playwright's own
browser download cannot work here). Without it, or without the ``playwright`` package, every test
here is skipped with the reason. The database is a temporary SQLite file loaded through the real
importers: DB07 and the EU countries list (bundled, open data) and KLE's 2015 Emneplan XML from
``../shared/data`` (tests that need KLE skip when it is absent).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.services import importing
from kodeks.services.ports import ImportOptions
from tests.conftest import REPO, SHARED_DATA

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
KLE_XML = SHARED_DATA / "kle" / "kle_emneplan_2015-08-01.xml"


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return "headless Chromium is missing: run scripts/browser (installs Debian's chromium package)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@dataclass(frozen=True)
class Site:
    url: str
    kodeks: Kodeks
    has_kle: bool
    tokens: dict[str, str]

    def __call__(self, path: str) -> str:
        return self.url + path


def _load(kodeks: Kodeks, data: bytes, name: str, fmt: str, cid: str | None = None, **kw: Any) -> None:
    importing.import_data(
        kodeks.uow,
        kodeks.formats,
        data,
        name,
        format=fmt,
        options=ImportOptions(classification=cid, options=kw.pop("options", {})),
        listeners=kodeks.listeners,
        **kw,
    )


def _editors(kodeks: Kodeks) -> dict[str, str]:
    """A municipality with an editor and a reviewer, and an empty plan it owns (for the editor flow)."""
    from kodeks.domain.classification import Classification
    from kodeks.domain.governance.identity import Organisation, OrgKind, User, system_actor
    from kodeks.domain.governance.roles import ResourceKind, Role
    from kodeks.services.governance import classifications, identity, roles
    from kodeks.web.access import governance

    gov, admin = governance(kodeks), system_actor("browser-tests")
    identity.create_organisation(gov, admin, Organisation("751", "Aarhus Kommune", OrgKind.MUNICIPALITY))
    tokens = {}
    for user, role in (("redaktoer", Role.EDITOR), ("godkender", Role.REVIEWER)):
        identity.create_user(gov, admin, User(user, "751", user.title()))
        roles.assign(gov, admin, user, role, ResourceKind.ORGANISATION, "751")
        tokens[user] = identity.issue_token(gov, admin, user, "browser").secret
    identity.create_organisation(gov, admin, Organisation("kl", "KL", OrgKind.ASSOCIATION))
    identity.create_user(gov, admin, User("katalog", "kl", "Katalogredaktør", admin=True))
    tokens["katalog"] = identity.issue_token(gov, admin, "katalog", "browser").secret
    classifications.create(
        gov, admin, Classification("aarhus-sager", {"da": "Aarhus' sagsplan"}), owner="751"
    )
    return tokens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from datetime import date

    import uvicorn

    db = tmp_path_factory.mktemp("browser") / "kodeks.sqlite"
    kodeks = build(Settings(database_url=f"sqlite:///{db}", environment="test"))
    bundled = resources.files("kodeks") / "resources"
    _load(
        kodeks,
        (bundled / "db07_dksic.tsv").read_bytes(),
        "db07_dksic.tsv",
        "tabular",
        "db07",
        release_label="DB07",
        release_date=date(2008, 1, 1),
        options={"preset": "db07"},
    )
    _load(
        kodeks,
        (bundled / "countries-skos.rdf").read_bytes(),
        "countries-skos.rdf",
        "skos",
        "eu-countries",
        release_label="20221214-0",
        release_date=date(2022, 12, 14),
    )
    has_kle = KLE_XML.exists()
    if has_kle:
        _load(kodeks, KLE_XML.read_bytes(), KLE_XML.name, "kle-xml")
    tokens = _editors(kodeks)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(kodeks), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", kodeks, has_kle, tokens)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def kle(site: Site) -> Site:
    if not site.has_kle:
        pytest.skip(
            "real data file kle/kle_emneplan_2015-08-01.xml not found under ../shared/data (see SOURCES.md)"
        )
    return site


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="da-DK", accept_downloads=True, bypass_csp=True
    )
    context.set_default_timeout(30_000)  # a loaded two-core machine can take seconds for a page
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def screenshot(page: Any, name: str) -> Path:
    """Keep a full-page screenshot as a test artefact (artifacts/screenshots, not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations (WCAG 2.0/2.1 A and AA, and best practice) on the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in bad
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
