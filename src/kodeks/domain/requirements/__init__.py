"""Requirement tools: common requirements, requirement sets for a tender, supplier answers, screening.

Pure rules and dataclasses; storage, formats and adapters live elsewhere (see docs/requirements.md).
"""
