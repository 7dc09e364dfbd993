"""Maintainers' tooling that ships with the repository, not with the ``paykit`` package.

Run from the repository root: ``python -m tools.course.build`` (``make notebooks``).
"""
