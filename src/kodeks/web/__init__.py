"""The web UI: server-rendered Jinja2 pages over the read services (see docs/web.md)."""
