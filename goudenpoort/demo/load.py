"""Load the demo dataset into the database idempotently: a second run changes nothing."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goudenpoort.demo import candidates as demo_candidates
from goudenpoort.demo import dataset
from goudenpoort.services import catalogue
from goudenpoort.services.candidates import create_candidate
from goudenpoort.services.catalogue_rows import read_employer_profile, read_route, read_vacancy
from goudenpoort.services.employers import get_profile, write_profile
from goudenpoort.services.routes import save_routes
from goudenpoort.services.tokens import issue_token
from goudenpoort.services.vacancies import save_vacancies
from models import Account, Candidate, Organisation

Summary = dict[str, Counter[str]]


def _upsert_organisations(session: Session, data: dataset.Dataset, summary: Summary
                          ) -> dict[str, uuid.UUID]:
    """Create or update the demo organisations by external id; return their ids by key."""
    external = [dataset.PREFIX + org["key"] for org in data.organisations]
    existing = {org.external_id: org for org in session.scalars(
        select(Organisation).where(Organisation.external_id.in_(external)))}
    ids: dict[str, uuid.UUID] = {}
    for org in data.organisations:
        row = existing.get(dataset.PREFIX + org["key"])
        if row is None:
            row = Organisation(external_id=dataset.PREFIX + org["key"], kind=org["kind"],
                               name=org["name"], region=org["region"])
            session.add(row)
            summary["organisations"]["created"] += 1
        elif (row.kind, row.name, row.region) != (org["kind"], org["name"], org["region"]):
            row.kind, row.name, row.region = org["kind"], org["name"], org["region"]
            row.version += 1
            summary["organisations"]["updated"] += 1
        else:
            summary["organisations"]["unchanged"] += 1
        session.flush()
        ids[org["key"]] = row.id
    return ids


def _upsert_accounts(session: Session, data: dataset.Dataset, ids: dict[str, uuid.UUID],
                     summary: Summary) -> None:
    """Create or update the demo accounts by e-mail address."""
    emails = [account["email"] for account in data.accounts]
    existing = {a.email: a for a in session.scalars(select(Account).where(
        Account.email.in_(emails)))}
    for account in data.accounts:
        organisation_id = ids[account["organisation"]]
        row = existing.get(account["email"])
        wanted = (account["role"], account["name"], organisation_id)
        if row is None:
            session.add(Account(email=account["email"], role=account["role"],
                                name=account["name"], organisation_id=organisation_id))
            summary["accounts"]["created"] += 1
        elif (row.role, row.name, row.organisation_id) != wanted:
            row.role, row.name, row.organisation_id = wanted
            row.version += 1
            summary["accounts"]["updated"] += 1
        else:
            summary["accounts"]["unchanged"] += 1
    session.flush()


def _fail(what: str, errors: dict[str, list[str]]) -> RuntimeError:
    """Return the error for demo data that no longer fits the taxonomy or the rules."""
    return RuntimeError(f"demo data invalid ({what}): {errors}")


def load_demo(session: Session) -> Summary:
    """Load (or bring up to date) the whole demo dataset; return what changed per table.

    Demo candidates are not loaded here yet: see goudenpoort/demo/candidates.py.
    """
    summary: Summary = {name: Counter() for name in (
        "organisations", "accounts", "employer_profiles", "routes", "vacancies", "candidates")}
    ids = _upsert_organisations(session, dataset.build(), summary)
    data = dataset.build({key: str(value) for key, value in ids.items()})
    _upsert_accounts(session, data, ids, summary)
    raws: list[Any] = [*data.profiles.values(), *(r for rs in data.routes.values() for r in rs),
                       *(v for vs in data.vacancies.values() for v in vs)]
    context = catalogue.build_context(session, raws)
    for key, raw in data.profiles.items():
        item, errors = read_employer_profile(raw, context)
        if item is None:
            raise _fail(key, errors)
        profile = get_profile(session, ids[key])
        if profile is not None and profile.digest == item["digest"]:
            summary["employer_profiles"]["unchanged"] += 1
            continue
        write_profile(session, organisation_id=ids[key], item=item, profile=profile)
        summary["employer_profiles"]["updated" if profile else "created"] += 1
    for table, items_by_owner, read, save, owner_key in (
        ("routes", data.routes, read_route, save_routes, "provider_id"),
        ("vacancies", data.vacancies, read_vacancy, save_vacancies, "employer_id"),
    ):
        for key, raw_items in items_by_owner.items():
            items = []
            for raw in raw_items:
                item, errors = read(raw, context)
                if item is None:
                    raise _fail(raw["external_id"], errors)
                items.append(item)
            result = save(session, items=items, **{owner_key: ids[key]})
            summary[table]["created"] += result.created
            summary[table]["updated"] += result.updated
            summary[table]["unchanged"] += result.unchanged
    _load_candidates(session, ids, summary)
    return summary


def _load_candidates(session: Session, ids: dict[str, uuid.UUID], summary: Summary) -> None:
    """Create the demo candidates through the intake service, as their desk's adviser would.

    A candidate is keyed by e-mail address within its desk: one that exists is left as it is
    (an adviser may have edited it since), so a second run changes nothing.
    """
    existing = set(session.scalars(select(Candidate.email).where(
        Candidate.email.like(f"%@{demo_candidates.EMAIL_DOMAIN}"))))
    advisers: dict[str, Account] = {}
    for profile in demo_candidates.candidates():
        data = dict(profile)
        desk = data.pop("desk")
        if data["email"] in existing:
            summary["candidates"]["unchanged"] += 1
            continue
        if desk not in advisers:
            advisers[desk] = session.scalars(
                select(Account).where(Account.organisation_id == ids[desk],
                                      Account.role == "adviser").order_by(Account.email)
            ).first()
        create_candidate(session, actor=advisers[desk], data=data)
        summary["candidates"]["created"] += 1


def demo_tokens(session: Session, *, role: str | None = None, days: int = 30
                ) -> list[tuple[Account, str]]:
    """Issue a fresh token for every demo account (or those of one role); return them."""
    from datetime import timedelta

    query = select(Account).where(Account.email.like(f"%@{dataset.EMAIL_DOMAIN}"))
    if role:
        query = query.where(Account.role == role)
    accounts = list(session.scalars(query.order_by(Account.role, Account.email)))
    return [(account, issue_token(session, account=account, lifetime=timedelta(days=days))[0])
            for account in accounts]
