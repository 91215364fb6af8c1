"""The vocabulary of the isolation test's route table, shared by the per-app route files."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    """How to test one URL pattern.

    area: "staff" pages, "portal" pages, "api" endpoints, "files" (uploads, for whoever may see their object),
    "account" pages (the user's own), or "public".
    kwargs: names of objects of supplier A (keys of the `objects_a` fixture) per URL argument, or literals.
    """

    area: str
    kwargs: dict = field(default_factory=dict)
    buyer_get: int = 200  # what a buyer's GET answers
    owner_get: int | None = None  # what supplier A's own contact's GET answers (portal and API)

    @property
    def object_of_a(self) -> bool:
        return any(isinstance(v, str) and v.startswith("@") for v in self.kwargs.values())


def A(name):
    """An argument filled with the pk of supplier A's object `name` (or `name#field`: its stored file name)."""
    return f"@{name}"
