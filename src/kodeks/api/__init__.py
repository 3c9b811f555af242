"""The HTTP API (FastAPI): thin routes over the services, one error shape."""
