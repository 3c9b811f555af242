"""``kodeks screening``: define a questionnaire, screen a project, list screenings."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.errors import InvalidRequest

app = typer.Typer(help="Screen a project: how much architecture attention it needs.", no_args_is_help=True)
out = Console(soft_wrap=True)
Db = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
BUNDLED = "arkitektur-screening.json"


def _ctx(db: str | None) -> Any:
    from kodeks.storage.screening import open_screening

    kodeks = open_registry(db)
    return open_screening(kodeks.engine, kodeks.settings, kodeks.listeners)


def _admin() -> Any:
    from kodeks.domain.governance.identity import system_actor

    return system_actor("cli")


def seed(ctx: Any) -> Any:
    """Define the bundled questionnaire (a new version only when it changed)."""
    from kodeks.services.screening import screenings

    data = json.loads((resources.files("kodeks") / "resources" / BUNDLED).read_text("utf-8"))
    return screenings.define(ctx, _admin(), data)


@app.command("define")
def define(
    file: Annotated[
        Path | None, typer.Argument(help="a questionnaire (JSON); default: the bundled one")
    ] = None,
    db: Db = None,
) -> None:
    """Record a questionnaire (its next version, when it changed)."""
    from kodeks.services.screening import screenings

    ctx = _ctx(db)
    if file is None:
        q = seed(ctx)
    else:
        if not file.is_file() or file.stat().st_size > 1024 * 1024:
            raise InvalidRequest(f"{file} is not a file of at most 1 MiB")
        try:
            data = json.loads(file.read_bytes())
        except (ValueError, UnicodeDecodeError):
            raise InvalidRequest(f"{file.name} is not JSON") from None
        q = screenings.define(ctx, _admin(), data)
    out.print(f"questionnaire {q.id} version {q.version}: {len(q.questions)} questions")


@app.command("run")
def run(
    questionnaire: Annotated[str, typer.Argument(help="the questionnaire's id")],
    project: Annotated[str, typer.Option("--project", help="the project's name")],
    answer: Annotated[list[str], typer.Option("--answer", "-a", help="question=option (once per question)")],
    db: Db = None,
) -> None:
    """Screen a project; prints and stores the result."""
    from kodeks.services.screening import screenings

    answers: dict[str, str] = {}
    for pair in answer:
        question, sep, option = pair.partition("=")
        if not sep:
            raise InvalidRequest(f"--answer {pair!r} must be question=option")
        answers[question.strip()] = option.strip()
    ctx = _ctx(db)
    made = screenings.screen(ctx, _admin(), questionnaire, project, answers)
    r = made.result
    out.print(f"screening {made.id}: {project}")
    out.print(f"score {r.score} of {r.max_score}: architecture attention [bold]{r.level}[/]")
    out.print(r.recommendation)
    for label, values in (
        ("requirement sets", r.requirement_sets),
        ("common solutions", r.solutions),
        ("classifications", r.classifications),
        ("notes", r.notes),
    ):
        if values:
            out.print(f"{label}: {'; '.join(values)}")


@app.command("list")
def list_(
    project: Annotated[str | None, typer.Option("--project", help="only this project")] = None,
    db: Db = None,
) -> None:
    """Stored screenings, newest first."""
    from kodeks.services.screening import screenings

    table = Table("id", "at", "project", "questionnaire", "score", "level")
    for s in screenings.listing(_ctx(db), project=project):
        table.add_row(
            str(s.id),
            s.at.isoformat(timespec="seconds"),
            s.project,
            f"{s.questionnaire_id} v{s.questionnaire_version}",
            str(s.result.score),
            s.result.level,
        )
    out.print(table)
