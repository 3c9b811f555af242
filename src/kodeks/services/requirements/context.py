"""What every requirement use case needs, built once by the adapter (``storage.requirements``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kodeks.domain.governance.changeset import FourEyesError, MissingText, RuleError, StateError
from kodeks.errors import Conflict, Forbidden, InvalidRequest
from kodeks.services.catalog_ports import CatalogStoreOpener
from kodeks.services.governance.context import Governance
from kodeks.services.requirements.ports import RequirementStoreOpener

#: The classification that holds the architecture principles and rules requirements derive from.
PRINCIPLES = "fda-principper"


@dataclass(frozen=True)
class Requirements:
    """``gov`` authenticates, authorizes and audits (the governance part's services); ``store`` opens
    the requirement tables and ``catalog`` the catalog inside the same unit of work."""

    gov: Governance
    store: RequirementStoreOpener
    catalog: CatalogStoreOpener
    principles: str = PRINCIPLES


@contextmanager
def rules() -> Iterator[None]:
    """Translate the workflow's rule errors (and a domain ``ValueError``) into the error tree."""
    try:
        yield
    except FourEyesError as exc:
        raise Forbidden(str(exc)) from None
    except StateError as exc:
        raise Conflict(str(exc)) from None
    except (MissingText, RuleError) as exc:
        raise InvalidRequest(str(exc)) from None
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
