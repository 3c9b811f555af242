"""Whether a classification may be read without a role: what the read API asks on every request."""

from __future__ import annotations

from kodeks.domain.governance.policy import Resource
from kodeks.errors import NotFound
from kodeks.services.governance.authz import classification_resource
from kodeks.services.governance.context import Governance


def read_resource(gov: Governance, classification_id: str) -> Resource | None:
    """The classification as a resource (``public`` set from its policy); ``None`` if there is none."""
    with gov.uow() as uow:
        try:
            return classification_resource(uow, classification_id, public_copyrighted=gov.public_copyrighted)
        except NotFound:
            return None
