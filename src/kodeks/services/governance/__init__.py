"""Governance use cases: identity and tokens, roles, access policies, change sets, publishing, audit.

Every use case takes a ``Governance`` context (``context.py``) and the ``Actor`` it acts for, checks
``authz.authorize`` before it changes anything, writes an audit entry for every change, and commits
once. Storage is reached only through ``ports.GovernanceUowFactory``.
"""
