"""Engines that apply a classification's valid-time table to data (``services.data.ports.DataEngine``).

``polars_engine`` is the embedded default (lazy, streaming). Engines import their library when they
are built, never when ``kodeks`` is imported.
"""
