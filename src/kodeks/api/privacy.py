"""Privacy jobs on uploaded files: ``/api/v1/privacy/{risk,anonymize,synthesize,aggregate}``.

Every route depends on ``require_user`` (401 for anonymous callers). Uploads are limited in size, written to a
private temporary directory and deleted when the job ends, whether it succeeded or not. Pseudonymisation is
not offered over HTTP: it needs the key, which stays with the key holder's CLI.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from fastapi.routing import APIRoute

from kodeks.errors import InputTooLarge
from kodeks.privacy.discretion import DiscretionRule
from kodeks.privacy.errors import ConfigError
from kodeks.privacy.jobs import Outputs, aggregate_job, anonymize_job, risk_job, synthesize_job
from kodeks.privacy.tableio import FORMATS

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_CHUNK = 1 << 20


@contextmanager
def _workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="kodeks-privacy-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def _save(upload: UploadFile, folder: Path, limit: int, name: str = "input") -> Path:
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"unsupported upload type {suffix!r}; send .csv, .parquet or .xlsx")
    target = folder / f"{name}{suffix}"
    size = 0
    with target.open("wb") as fh:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise InputTooLarge(f"the upload is larger than {limit} bytes")
            fh.write(chunk)
    return target


def build_router(
    require_user: Callable[..., Any],
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    route_class: type[APIRoute] = APIRoute,
) -> APIRouter:
    """The routes; the app passes ``AuthFirstRoute`` so that callers are refused before an upload is read."""
    router = APIRouter(
        prefix="/api/v1/privacy",
        tags=["privacy"],
        dependencies=[Depends(require_user)],
        route_class=route_class,
    )

    @router.post("/risk")
    async def risk(
        file: Annotated[UploadFile, File()],
        qi: Annotated[list[str], Form()],
        delimiter: Annotated[str, Form()] = ",",
        threshold: Annotated[float, Form(ge=0, le=1)] = 0.2,
    ) -> dict[str, Any]:
        with _workdir() as folder:
            source = await _save(file, folder, max_upload_bytes)
            return risk_job(source, qi, Outputs(), delimiter, threshold=threshold).as_dict()

    @router.post("/anonymize")
    async def anonymize(
        file: Annotated[UploadFile, File()],
        config: Annotated[UploadFile, File()],
        delimiter: Annotated[str, Form()] = ",",
        hierarchies: Annotated[list[UploadFile] | None, File()] = None,
    ) -> Response:
        """Returns the anonymized table; the report is in the ``X-Kodeks-Report`` header (JSON)."""
        with _workdir() as folder:
            source = await _save(file, folder, max_upload_bytes)
            config_path = folder / "config.yaml"
            config_path.write_bytes(await config.read(max_upload_bytes))
            for h in hierarchies or []:
                name = Path(h.filename or "").name
                if not name or name.startswith("."):
                    raise ConfigError("hierarchy uploads need a plain file name")
                (folder / name).write_bytes(await h.read(max_upload_bytes))
            out = folder / f"output{source.suffix}"
            report = anonymize_job(source, config_path, Outputs(out), delimiter)
            summary = {
                "utility": report.utility,
                "risk_after": report.after.as_dict() if report.after else None,
            }
            return Response(
                out.read_bytes(),
                media_type="application/octet-stream",
                headers={"X-Kodeks-Report": json.dumps(summary, default=str)},
            )

    @router.post("/synthesize")
    async def synthesize(
        file: Annotated[UploadFile, File()],
        epsilon: Annotated[float, Form(gt=0, le=1_000_000)] = 1.0,
        delimiter: Annotated[str, Form()] = ",",
        seed: Annotated[int | None, Form(ge=0, le=2**63 - 1)] = None,
    ) -> Response:
        with _workdir() as folder:
            source = await _save(file, folder, max_upload_bytes)
            out = folder / f"output{source.suffix}"
            report = synthesize_job(source, Outputs(out), epsilon, seed=seed, delimiter=delimiter)
            return Response(
                out.read_bytes(),
                media_type="application/octet-stream",
                headers={"X-Kodeks-Report": json.dumps(report.utility, default=str)},
            )

    @router.post("/aggregate")
    async def aggregate(
        file: Annotated[UploadFile, File()],
        by: Annotated[list[str], Form()],
        min_count: Annotated[int, Form(ge=1, le=1000)] = 3,
        method: Annotated[str, Form()] = "suppress",
        unit: Annotated[str | None, Form()] = None,
        totals: Annotated[bool, Form()] = True,
        delimiter: Annotated[str, Form()] = ",",
    ) -> Response:
        """Counts by ``by`` under the discretion rule (CSV, ``..`` for hidden cells); report in the header."""
        if not 1 <= len(by) <= 3:
            raise ConfigError("count by one, two or three columns")
        rule = DiscretionRule(min_count, method)  # type: ignore[arg-type]
        with _workdir() as folder:
            source = await _save(file, folder, max_upload_bytes)
            out = folder / "counts.csv"
            table = aggregate_job(source, by, Outputs(out), rule, unit, totals=totals, delimiter=delimiter)
            return Response(
                out.read_bytes(),
                media_type="text/csv; charset=utf-8",
                headers={"X-Kodeks-Report": json.dumps(table.as_dict(), ensure_ascii=True)},
            )

    return router
