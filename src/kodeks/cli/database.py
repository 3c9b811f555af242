"""Open the registry a command's ``--db`` names, or say in one line why it cannot be opened.

A URL that is not a database URL is refused by the settings (``kodeks.config``) before anything is
created; a SQLite file in a folder that does not exist, a server that cannot be reached or refuses
the login become a ``ConfigurationError`` naming the database (its password hidden) and the cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kodeks.config import load_settings
from kodeks.errors import ConfigurationError

if TYPE_CHECKING:
    from kodeks.bootstrap import Kodeks


def open_registry(db: str | None) -> Kodeks:
    """The migrated registry at ``db`` (default ``KODEKS_DATABASE_URL``, else ``kodeks.sqlite``)."""
    from sqlalchemy.exc import SQLAlchemyError

    from kodeks.bootstrap import build

    settings = load_settings(database_url=db)
    url = settings.database_url
    folder = _sqlite_folder(url)
    if folder is not None and not folder.is_dir():
        raise ConfigurationError(f"cannot open {url}: the folder {folder} does not exist")
    try:
        return build(settings)
    except SQLAlchemyError as exc:
        raise ConfigurationError(f"cannot open {safe_url(url)}: {database_problem(exc)}") from None


def _sqlite_folder(url: str) -> Path | None:
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    if not url.startswith("sqlite:///") or path in ("", ":memory:"):
        return None
    return Path(path).parent


def safe_url(url: str) -> str:
    """``url`` with its password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def database_problem(exc: BaseException) -> str:
    """The driver's own words for what went wrong, on one line."""
    cause = getattr(exc, "orig", None) or exc
    text = " ".join(str(cause).split())
    return text or type(cause).__name__
