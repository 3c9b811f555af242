"""The web pages of the requirement tools (``/krav``) and of screening (``/screening``), in Danish by
default. Pages render typed contexts (``contexts.py``); the routes are in ``routes.py``."""
