"""Use cases of the solution landscape: import, queries, task resolution (``docs/landscape.md``)."""
