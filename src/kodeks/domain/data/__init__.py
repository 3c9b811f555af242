"""Classifications on data: the rules of validating, scoping and crosswalking a dataset's code column.

Pure: the valid-time table of a classification (``valid_time``), the statuses a value can get
(``status``), the shapes a code may take (``shapes``), thresholds for pipelines (``thresholds``) and
the summary of a run (``summary``). Engines (Polars, Spark) apply these tables to data elsewhere.
"""
