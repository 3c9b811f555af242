"""The Kodeks error tree.

Every error Kodeks raises on purpose derives from :class:`KodeksError`. Each class has a stable
machine-readable ``code`` and a default HTTP ``status``; the edges translate them exactly once:
the API into one JSON error shape (``{"error": {"code", "message", "details"}}``), the CLI into an
exit code and one line on stderr.

    KodeksError
    ├── NotFound                 unknown classification, code not valid at the asked date, ...
    ├── InvalidRequest           a parameter the caller gave is malformed (a date, a format name)
    ├── ImportError_             an input file cannot be imported; names file, location and problem
    │   ├── UnknownFormat        no importer recognises the file (or a forced format does not exist)
    │   ├── MalformedInput       the file cannot be parsed (syntax, encoding, hostile XML)
    │   ├── InputTooLarge        the file is bigger than the configured limit
    │   └── InvalidContent       parsed, but the content breaks a rule (duplicate codes, cycles, ...)
    ├── Conflict                 the write would contradict what is recorded
    ├── PreconditionRequired     an edit came without the version tag (If-Match) it was based on
    ├── Unauthorized / Forbidden authentication missing or not allowed
    └── ConfigurationError       the settings are invalid; raised at start-up
"""

from __future__ import annotations

from typing import Any, ClassVar


class KodeksError(Exception):
    """Base of every error Kodeks raises on purpose."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class NotFound(KodeksError):
    code = "not_found"
    status = 404


class InvalidRequest(KodeksError):
    code = "invalid_request"
    status = 400


class ImportError_(KodeksError):
    """An input cannot be imported. ``source`` names the file; ``location`` the line or element."""

    code = "import_failed"
    status = 422

    def __init__(
        self, message: str, *, source: str | None = None, location: str | None = None, **details: Any
    ) -> None:
        message = _one_line(message)  # parsers quote the offending input, line breaks and all
        parts = [_one_line(p) for p in (source, location) if p]
        full = f"{': '.join(parts)}: {message}" if parts else message
        super().__init__(full, source=source, location=location, **details)
        self.problem = message
        self.source = source
        self.location = location


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


class UnknownFormat(ImportError_):
    code = "unknown_format"
    status = 415


class MalformedInput(ImportError_):
    code = "malformed_input"


class InputTooLarge(ImportError_):
    code = "input_too_large"
    status = 413


class InvalidContent(ImportError_):
    code = "invalid_content"


class Conflict(KodeksError):
    code = "conflict"
    status = 409


class PreconditionRequired(KodeksError):
    """An edit must say which version it read (``If-Match: <ETag>``), so a stale write cannot overwrite."""

    code = "precondition_required"
    status = 428


class Unauthorized(KodeksError):
    code = "unauthorized"
    status = 401


class Forbidden(KodeksError):
    code = "forbidden"
    status = 403


class ConfigurationError(KodeksError):
    code = "configuration_error"
    status = 500
