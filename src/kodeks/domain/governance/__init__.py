"""Governance rules, pure: who may do what to which data, and how an edit becomes a published version.

- ``identity``: organisations, users and the ``Actor`` a request acts as;
- ``roles``: roles (owner, editor, reviewer, reader), actions and role assignments with a data scope;
- ``policy``: the access decision for an actor, an action and a resource;
- ``changeset``: change sets (drafts) and their state machine, the edits they hold and the frozen rule;
- ``audit``: the append-only audit entry;
- ``etag``: version tags for optimistic concurrency.
"""
