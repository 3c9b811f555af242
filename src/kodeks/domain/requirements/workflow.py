"""The workflow of a requirement version: the change set's states and rules, applied to one requirement.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
                          │                      │
                          └──────reject──────────┴──▶ rejected (a reason is required)

Four eyes: the author of a version may not approve or publish it (when the owner's policy says so).
Only a draft may be edited; a published version is frozen (a change is the next version's draft).
"""

from __future__ import annotations

from dataclasses import replace

from kodeks.domain.governance.changeset import (
    TRANSITIONS,
    FourEyesError,
    MissingText,
    State,
    StateError,
)
from kodeks.domain.requirements.requirement import Requirement

STEPS: dict[str, State] = {
    "submit": State.SUBMITTED,
    "approve": State.APPROVED,
    "reject": State.REJECTED,
    "publish": State.PUBLISHED,
}


def step(req: Requirement, action: str, actor: str, *, note: str = "", four_eyes: bool = True) -> Requirement:
    """The version after ``action`` by ``actor``; raises a ``RuleError`` when the rules refuse it."""
    target = STEPS.get(action)
    if target is None:
        raise StateError(f"unknown step {action!r}; one of {', '.join(STEPS)}")
    if target not in TRANSITIONS[req.state]:
        raise StateError(f"requirement {req.id} version {req.version} is {req.state}; it cannot be {target}")
    if target is State.REJECTED and not note.strip():
        raise MissingText("a rejection needs a reason")
    if four_eyes and target in (State.APPROVED, State.PUBLISHED) and actor == req.author:
        raise FourEyesError(f"{actor} wrote version {req.version} of {req.id}: someone else must {action} it")
    return replace(req, state=target, note=note)


def check_editable(req: Requirement) -> None:
    if req.state is not State.DRAFT:
        raise StateError(
            f"requirement {req.id} version {req.version} is {req.state}: only a draft is edited "
            "(start a new version to change a published requirement)"
        )
