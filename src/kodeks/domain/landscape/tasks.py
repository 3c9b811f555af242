"""Which task a reference serves: a KLE reference to a group serves every emne under it."""

from __future__ import annotations


def serves(reference: str, task: str) -> bool:
    """Whether a reference to code ``reference`` covers task ``task`` (the same code, a code under
    it, or the group it lies in): ``27.24`` covers ``27.24.00``; ``27.24.00`` covers ``27.24``."""
    return reference == task or task.startswith(reference + ".") or reference.startswith(task + ".")


def level(code: str) -> int:
    """KLE's level of a dotted code: ``27`` is 1, ``27.24`` is 2, ``27.24.00`` is 3."""
    return code.count(".") + 1
