"""``kodeks codebank`` — the AI code bank (*byttebørs*) from the command line.

kodeks codebank publish entry.json            # a JSON object with the entry's fields
kodeks codebank list [--q WORDS] [--task 27.24]
kodeks codebank show ID
kodeks codebank offer ID --municipality 751 [--note ...]
kodeks codebank request ID --municipality 101 [--note ...]
kodeks codebank interest OFFER_ID --municipality 101 [--note ...]
kodeks codebank dcat -o kodebank.ttl
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kodeks.cli.database import open_registry
from kodeks.domain.landscape.codec import entry_from_dict, entry_to_dict
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.landscape import codebank

app = typer.Typer(help="The AI code bank: shared algorithms, offers and interest.", no_args_is_help=True)
out = Console(soft_wrap=True)
DbOption = Annotated[str | None, typer.Option("--db", help="database URL (default: KODEKS_DATABASE_URL)")]
Municipality = Annotated[str, typer.Option("--municipality", help="municipality code, e.g. 751")]
Note = Annotated[str, typer.Option("--note")]


@app.command()
def publish(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], db: DbOption = None) -> None:
    """Publish (or change) an entry from a JSON file."""
    if path.stat().st_size > 256 * 1024:
        raise InputTooLarge("the entry file is larger than 256 KiB", source=path.name)
    try:
        entry = entry_from_dict(json.loads(path.read_bytes()))
    except ValueError as exc:
        raise InvalidRequest(f"{path.name}: {exc}") from None
    kodeks = open_registry(db)
    done = codebank.publish(kodeks.uow, kodeks.codebank, kodeks.landscape, entry, actor="cli")
    out.print(
        f"{entry.id}: {'published' if done.changed else 'unchanged'} (task {entry.task}: {done.task_state})"
    )


@app.command("list")
def list_(
    q: Annotated[str | None, typer.Option("--q")] = None,
    task: Annotated[str | None, typer.Option("--task")] = None,
    db: DbOption = None,
) -> None:
    """Entries, searched by words and KLE task."""
    kodeks = open_registry(db)
    table = Table("id", "name", "task", "owner", "AI Act risk", "DPIA")
    for e in codebank.search(kodeks.uow, kodeks.codebank, q=q, task=task):
        table.add_row(escape(e.id), escape(e.name), str(e.task), e.owner, e.risk.value, e.dpia.value)
    out.print(table)


@app.command()
def show(entry_id: str, db: DbOption = None) -> None:
    """One entry and its offers, as JSON."""
    kodeks = open_registry(db)
    entry = codebank.entry(kodeks.uow, kodeks.codebank, entry_id)
    offers = [
        {
            "id": o.id,
            "kind": o.kind.value,
            "municipality": o.municipality,
            "note": o.note,
            "interested": [m for m, _ in o.interested],
        }
        for o in codebank.offers(kodeks.uow, kodeks.codebank, entry_id)
    ]
    out.print(
        json.dumps({**entry_to_dict(entry), "offers": offers}, ensure_ascii=False, indent=2), highlight=False
    )


def _offer(kind: str, entry_id: str, municipality: str, note: str, db: str | None) -> None:
    kodeks = open_registry(db)
    made = codebank.offer(kodeks.uow, kodeks.codebank, entry_id, kind, municipality, note, actor="cli")
    out.print(f"{kind} {made.id}: {entry_id} by {made.municipality}")


@app.command()
def offer(entry_id: str, municipality: Municipality, note: Note = "", db: DbOption = None) -> None:
    """A municipality offers its entry to the others."""
    _offer("offer", entry_id, municipality, note, db)


@app.command()
def request(entry_id: str, municipality: Municipality, note: Note = "", db: DbOption = None) -> None:
    """A municipality asks for an algorithm like this entry."""
    _offer("request", entry_id, municipality, note, db)


@app.command()
def interest(offer_id: int, municipality: Municipality, note: Note = "", db: DbOption = None) -> None:
    """A municipality registers interest in an offer."""
    kodeks = open_registry(db)
    made = codebank.register_interest(kodeks.uow, kodeks.codebank, offer_id, municipality, note, actor="cli")
    out.print(f"offer {made.id}: {len(made.interested)} municipalities interested")


@app.command()
def dcat(output: Annotated[Path, typer.Option("-o", "--output")], db: DbOption = None) -> None:
    """DCAT (Turtle) of the entries and the data services the landscape's systems provide."""
    from kodeks.formats.landscape import dcat as writer
    from kodeks.services.landscape import queries
    from kodeks.services.queries import When

    kodeks = open_registry(db)
    entries = codebank.search(kodeks.uow, kodeks.codebank)
    solutions = queries.list_solutions(kodeks.uow, kodeks.landscape, When.of())
    output.write_bytes(writer.write(solutions, entries, kodeks.settings.base_uri))
    out.print(f"{len(entries)} entries written to {escape(str(output))}")
