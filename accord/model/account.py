"""Agencies, users and roles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accord.errors import Forbidden, InvalidData


class Role(StrEnum):
    """What a user may do. Every role reads what its agency may read.

    - ``admin`` manages the agency's users and keys and reads the audit log;
    - ``analyst`` ingests, runs detectors and triages findings;
    - ``liaison`` reads, and exchanges data with partners.
    """

    ADMIN = "admin"
    ANALYST = "analyst"
    LIAISON = "liaison"

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise InvalidData(f"unknown role {text!r}; use one of {choices}") from None


@dataclass(frozen=True, slots=True)
class User:
    """Someone acting for an agency."""

    name: str
    agency: str
    role: Role

    def require(self, *roles: Role) -> None:
        """Refuse unless the user holds one of ``roles``."""
        if self.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise Forbidden(
                f"user {self.name!r} has role {self.role.value}; this needs {allowed}"
            )
