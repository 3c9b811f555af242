"""Local use of the registry: reserved ranges, profiles, sortimenter, correspondences, change feeds.

Pure like the rest of ``kodeks.domain``: plain dataclasses and rules, no I/O. A *profile* is a
municipality's specialization of a common classification; a *sortiment* is an owned, versioned list
of codes across classifications; a *correspondence* maps the codes of one classification to another.
"""
