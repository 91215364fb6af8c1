"""Isolation-test routes of the payments app (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route  # noqa: F401  (used by the entries)

ROUTES: dict[str, Route] = {}

# Uploaded files: (object name in objects_a, field, whether A's factory contact may download it).
FILES: list[tuple[str, str, bool]] = []
