"""The command line (Typer): parse, call a service, print."""
