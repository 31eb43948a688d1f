"""Who may change which catalogue item: pure predicates on an account and an owner id."""

from __future__ import annotations

import uuid
from typing import Protocol


class Caller(Protocol):
    """What the predicates need to know of an account."""

    role: str
    organisation_id: uuid.UUID


# The role that manages each kind of catalogue item within its own organisation.
MANAGER_ROLE = {"route": "provider", "vacancy": "employer", "employer_profile": "employer"}


def may_read_catalogue(caller: Caller) -> bool:
    """Everyone signed in may read routes, vacancies and employers."""
    return bool(caller.role)


def may_manage(caller: Caller, item: str, owner_id: uuid.UUID) -> bool:
    """Admins manage everything; providers their routes; employers their vacancies/profile."""
    if caller.role == "admin":
        return True
    return caller.role == MANAGER_ROLE[item] and caller.organisation_id == owner_id


def may_create(caller: Caller, item: str) -> bool:
    """Admins and the managing role may create items (for which organisation is checked apart)."""
    return caller.role in ("admin", MANAGER_ROLE[item])
