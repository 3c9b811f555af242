"""Pure domain model of Kodeks: classifications, releases (versions), levels, items and time."""
