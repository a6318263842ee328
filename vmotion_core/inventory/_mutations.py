"""Mutation methods of Environment (filled in below)."""


class _Mutations:
    """Methods that return a new Environment and record a line in ``changes``."""
