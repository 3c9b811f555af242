"""Import and export formats, one module each, behind one registry (see ``registry``)."""
