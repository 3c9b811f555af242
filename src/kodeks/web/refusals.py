"""Governance refusals in the reader's language.

The governance services explain a refusal in English (the API's ``message``). The editor screens
show a translated sentence instead: the known messages word for word (with their codes and names),
others by the kind of error. The service's own wording is never shown in Danish mode.
"""

from __future__ import annotations

import re

from kodeks.errors import Conflict, Forbidden, InvalidRequest, KodeksError, NotFound, Unauthorized
from kodeks.web.i18n import Translator

#: (pattern over the service's message, i18n key); the groups fill the key's ``{a}``, ``{b}``.
KNOWN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^change set (\d+) is (\w+); only a draft can be (?:changed|edited)$"), "refusal_not_draft"),
    (re.compile(r"^change set (\d+) was submitted meanwhile"), "refusal_submitted_meanwhile"),
    (re.compile(r"^change set (\d+) is empty"), "refusal_empty"),
    (re.compile(r"^(\S+) has the code '(.+)' already"), "refusal_code_exists"),
    (
        re.compile(r"^four-eyes rule: (\S+) wrote change set (\d+) and may not approve it$"),
        "refusal_four_eyes_approve",
    ),
    (
        re.compile(r"^four-eyes rule: (\S+) wrote change set (\d+) and may not publish it$"),
        "refusal_four_eyes_publish",
    ),
    (re.compile(r"^(.+) has changed since you read it"), "refusal_stale"),
    (re.compile(r"^(\S+) has no role that allows (\w+) on (.+)$"), "refusal_no_role"),
    (re.compile(r"^(\S+) may not (\w+) (.+?) \((.+)\)$"), "refusal_may_not"),
    (re.compile(r"parent '(.+)' of (\S+) is not valid on (\S+)"), "refusal_parent"),
    (re.compile(r"code '(.+)' has unknown parent '(.+)'"), "refusal_unknown_parent"),
    (re.compile(r"cycle in hierarchy: (.+)"), "refusal_cycle"),
)
#: By kind, for messages not in ``KNOWN`` (most specific class first).
BY_KIND: tuple[tuple[type[KodeksError], str], ...] = (
    (Unauthorized, "refusal_unauthorized"),
    (Forbidden, "refusal_forbidden"),
    (Conflict, "refusal_conflict"),
    (NotFound, "refusal_not_found"),
    (InvalidRequest, "refusal_invalid"),
)


def refusal(exc: KodeksError, t: Translator) -> str:
    """The sentence the editor screens show for ``exc``."""
    if t.lang == "en" or exc.details.get("translated"):
        return exc.message  # the web's own checks raise translated messages
    for pattern, key in KNOWN:
        found = pattern.search(exc.message)
        if found:
            values = dict(zip("abcd", found.groups(), strict=False))
            if key == "refusal_not_draft":  # the state by its Danish name ("indsendt")
                values["b"] = t.maybe(f"state_{values['b']}") or values["b"]
            return t(key, **values)
    for kind, key in BY_KIND:
        if isinstance(exc, kind):
            return t(key)
    return t("refusal_other")
