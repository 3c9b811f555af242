"""Kodeks: one authoritative, bitemporal registry for shared classifications."""

__version__ = "0.1.0"
