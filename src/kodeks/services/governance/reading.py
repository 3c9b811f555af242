"""Whether a classification may be read without a role: what the read API asks on every request.

The answer is reused for ``Governance.read_cache_seconds`` within a process (the response cache in
front of the API keeps public reads for as long); a policy changed through the same process takes
effect at once.
"""

from __future__ import annotations

import time

from kodeks.domain.governance.policy import Resource
from kodeks.errors import NotFound
from kodeks.services.governance.authz import classification_resource
from kodeks.services.governance.context import Governance


def read_resource(gov: Governance, classification_id: str) -> Resource | None:
    """The classification as a resource (``public`` set from its policy); ``None`` if there is none."""
    now = time.monotonic()
    known, remembered = gov.remembered(classification_id, now)
    if known and isinstance(remembered, Resource):
        return remembered
    with gov.uow() as uow:
        try:
            resource = classification_resource(
                uow, classification_id, public_copyrighted=gov.public_copyrighted
            )
        except NotFound:
            return None  # not remembered: an import may create it any moment
    gov.remember(classification_id, resource, now)
    return resource
