"""SQLAlchemy 2 storage: tables, the unit of work that implements the service ports, migrations."""
