"""The life of a model version: draft → review → published (or back to draft from review).

Four eyes: the one who publishes is not the one who sent the version to review. Every import of a new
version starts a draft.
"""

from __future__ import annotations

STATUSES = ("draft", "review", "published")
TRANSITIONS = frozenset({("draft", "review"), ("review", "draft"), ("review", "published")})

_ADMS = "http://purl.org/adms/status/"
_APPROVAL = "https://data.gov.dk/model/core/approvalstatus#"
#: Each status in the model catalogue's vocabulary: its model status (ADMS, as DIGST's catalogue uses)
#: and its approval status (DIGST's approval-status classification).
MODEL_STATUS = {
    "draft": _ADMS + "UnderDevelopment",
    "review": _ADMS + "UnderDevelopment",
    "published": _ADMS + "Completed",
}
APPROVAL_STATUS = {
    "draft": _APPROVAL + "NotApplicable",
    "review": _APPROVAL + "AwaitingApproval",
    "published": _APPROVAL + "Approved",
}


def transition_problem(
    current: str, target: str, actor: str | None, reviewer_sent_by: str | None
) -> str | None:
    """Why ``actor`` may not move a version from ``current`` to ``target`` (``None``: allowed)."""
    if target not in STATUSES:
        return f"status must be one of {', '.join(STATUSES)}"
    if (current, target) not in TRANSITIONS:
        return f"a {current} version cannot become {target}"
    if target == "published" and actor is not None and actor == reviewer_sent_by:
        return "the one who sent a version to review cannot publish it (four eyes)"
    return None
