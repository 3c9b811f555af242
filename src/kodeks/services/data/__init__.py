"""Use cases of classifications on data: build a classification's valid-time table from the registry,
validate a dataset with an engine (``ports.DataEngine``), expand and check scopes."""
