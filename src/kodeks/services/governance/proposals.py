"""Successor proposals into a change set: an editor accepts what the data suggests, a reviewer decides.

``queries.proposed_moves`` finds candidate successors for codes that expired between two dates
without naming one (``domain.successors``). Nothing is applied by itself: :func:`draft_links` opens
a draft change set whose *link* entries name the accepted successors, and the draft then takes the
ordinary way (submit, approve by someone else, publish).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kodeks.domain.governance.changeset import ChangeSet
from kodeks.domain.governance.identity import Actor
from kodeks.services.governance import changesets, drafts
from kodeks.services.governance.context import Governance


def draft_links(
    gov: Governance,
    actor: Actor,
    classification_id: str,
    links: Mapping[str, tuple[str, ...]],
    *,
    effective: date,
    title: str,
    label: str,
) -> ChangeSet:
    """A new draft holding one link entry per expired code in ``links`` (old code -> successors)."""
    cs = changesets.open_change_set(
        gov, actor, classification_id, title=title, label=label, effective=effective
    )
    assert cs.id is not None
    for old, successors in sorted(links.items()):
        etag = drafts.draft_item(gov, actor, cs.id, old).etag
        drafts.link_successors(gov, actor, cs.id, old, successors, etag)
    return cs
