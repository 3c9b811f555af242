"""Pseudonymize, anonymize with measured risk, and synthesize tabular data (see docs/privacy.md)."""
