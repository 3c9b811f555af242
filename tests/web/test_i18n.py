"""Every UI string exists in both languages, and every key a template uses is in the table."""

from __future__ import annotations

import re
from datetime import date

from kodeks.domain.period import Period
from kodeks.web.i18n import STRINGS, Formatter, Translator, choose
from kodeks.web.rendering import TEMPLATES

_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
_PREFIX = re.compile(r"""\bt\(\s*["']([a-z_]+_)["']\s*~""")


def test_every_string_has_danish_and_english() -> None:
    for key, (da, en) in STRINGS.items():
        assert da.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", da)) == set(re.findall(r"{(\w+)}", en)), key


def test_every_key_used_in_templates_and_code_exists() -> None:
    sources = [p.read_text() for p in TEMPLATES.glob("*.html")]
    sources += [p.read_text() for p in TEMPLATES.parent.rglob("*.py")]
    used = {k for text in sources for k in _KEY.findall(text)}
    assert used, "the scan found no key at all"
    assert sorted(used - set(STRINGS)) == []
    prefixes = {p for text in sources for p in _PREFIX.findall(text)}
    assert prefixes == {
        "event_",
        "kind_",
        "count_",
        "move_",
        "state_",
        "status_",
        "frequency_",
        "priority_",
        "verification_",
        "compliance_",
        "text_",
    }


def test_every_value_of_a_translated_family_has_its_string() -> None:
    """Keys built from values (``t("state_" ~ cs.state)``, ``t(f"msg_{key}")``) exist for every value."""
    from kodeks.domain.catalog import FREQUENCIES, KINDS, STATUSES
    from kodeks.domain.changes import MoveKind
    from kodeks.domain.governance.changeset import State
    from kodeks.domain.item import TEXT_KINDS
    from kodeks.domain.release import ReleaseKind
    from kodeks.domain.requirements.answers import Compliance
    from kodeks.domain.requirements.requirement import Priority, Verification
    from kodeks.services.item_timeline import EventKind
    from kodeks.web.editor import MESSAGES

    families = {
        "event_": list(EventKind),
        "move_": list(MoveKind),
        "state_": list(State),
        "kind_": [*ReleaseKind, *KINDS],
        "count_": ["added", "expired", "renamed", "moved"],
        "msg_": list(MESSAGES),
        "frequency_": sorted(FREQUENCIES),
        "status_": sorted(STATUSES),
        "access_": ["PUBLIC", "RESTRICTED", "NON_PUBLIC"],
        "priority_": list(Priority),
        "verification_": list(Verification),
        "compliance_": list(Compliance),
        "text_": list(TEXT_KINDS),
    }
    missing = [
        prefix + str(value)
        for prefix, values in families.items()
        for value in values
        if prefix + str(value) not in STRINGS
    ]
    assert missing == []


def test_language_choice() -> None:
    assert choose(None, None) == ("da", False)
    assert choose("en", "da") == ("en", True)
    assert choose(None, "en") == ("en", False)
    assert choose("xx", "yy") == ("da", False)


def test_formatting() -> None:
    da, en = Formatter(Translator("da")), Formatter(Translator("en"))
    assert da.number(10563) == "10.563" and en.number(10563) == "10,563"
    assert da.period(Period(date(2012, 5, 1), None)) == "fra 2012-05-01"
    assert en.period(Period(None, date(2012, 5, 1))) == "through 2012-04-30"
    assert da.period(Period()) == "altid"
    # end dates are exclusive: the last day shown is the day before (never read as inclusive)
    assert en.period(Period(date(1990, 1, 1), date(2012, 1, 1))) == "from 1990-01-01 through 2011-12-31"
    assert da.period(Period(date(1988, 1, 1), date(2014, 11, 1))) == "fra 1988-01-01 til og med 2014-10-31"
    assert da.is_web("https://www.retsinformation.dk/eli/lta/2022/1396")
    assert not da.is_web("javascript:alert(1)") and not da.is_web('https://x" onclick="y')
