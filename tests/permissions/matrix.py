"""The row format of the permission matrix (see README.md)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One URL tried by every role.

    name:    the URL name, with its namespace ("companies:edit").
    allowed: the roles that may use it (sets from tests.permissions.roles).
    build:   world -> URL kwargs; may create objects and keep them in world.extra.
    method:  "get" or "post".
    data:    world -> POST (or GET query) data.
    label:   tells apart two rows of one URL (e.g. "pending company").
    denied:  what a signed-in person who is not allowed gets (404 by the house rule).
    denied_anonymous: None (sent to log in, the house rule) or a status, e.g. 404 for a
             public page whose non-public objects must not even ask to log in.
    """

    name: str
    allowed: frozenset
    build: Callable | None = None
    method: str = "get"
    data: Callable | None = None
    label: str = ""
    denied: int = 404
    denied_anonymous: int | None = None

    @property
    def id(self):
        return f"{self.name}[{self.label}]" if self.label else self.name
