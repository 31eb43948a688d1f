"""Resolve skill and occupation references (an ESCO URI or an exact nl/en label) in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks
from models import Occupation, OccupationLabel, Skill, SkillLabel


def normalise_label(label: str) -> str:
    """Return the comparison form of a label: lower case (as SQL lower()), spaces collapsed."""
    return " ".join(label.split()).lower()


def is_uri(ref: str) -> bool:
    """Tell whether a reference is a URI rather than a label."""
    return ref.startswith(("http://", "https://"))


@dataclass
class ConceptLookup:
    """An in-memory map from the references of one request or file to ESCO URIs."""

    skills: dict[str, str | None] = field(default_factory=dict)  # ref -> URI, None if unknown
    occupations: dict[str, str | None] = field(default_factory=dict)
    ambiguous: set[tuple[str, str]] = field(default_factory=set)  # (kind, label) of shared labels

    def skill(self, ref: str) -> str:
        """Return the URI of a skill reference, or raise LookupError with a message."""
        return self._resolve(self.skills, ref, "skill")

    def occupation(self, ref: str) -> str:
        """Return the URI of an occupation reference, or raise LookupError with a message."""
        return self._resolve(self.occupations, ref, "occupation")

    def _resolve(self, table: dict[str, str | None], ref: str, kind: str) -> str:
        key = ref if is_uri(ref) else normalise_label(ref)
        uri = table.get(key)
        if uri:
            return uri
        if is_uri(ref):
            raise LookupError(f"Unknown ESCO {kind} URI: {ref}")
        if (kind, key) in self.ambiguous:
            raise LookupError(f"The label {ref!r} names several ESCO {kind}s; use the URI.")
        raise LookupError(f"No ESCO {kind} has the exact label {ref!r} (nl or en).")


def _resolve_kind(
    session: Session, kind: str, refs: set[str], lookup: ConceptLookup
) -> dict[str, str | None]:
    """Resolve one kind's references with a few chunked queries (never one per row)."""
    model: Any = Skill if kind == "skill" else Occupation
    label_model: Any = SkillLabel if kind == "skill" else OccupationLabel
    label_uri: Any = label_model.skill_uri if kind == "skill" else label_model.occupation_uri
    table: dict[str, str | None] = {}
    uris = sorted(ref for ref in refs if is_uri(ref))
    labels = sorted({normalise_label(ref) for ref in refs if not is_uri(ref)})
    known: set[str] = set()
    for chunk in chunks(uris):
        query = select(model.uri).where(model.uri.in_(chunk))
        if kind == "skill":
            query = query.where(Skill.kind == "skill")  # skill groups are not teachable skills
        known.update(session.scalars(query))
    for uri in uris:
        table[uri] = uri if uri in known else None
    # Labels are matched case-insensitively; whitespace is collapsed on both sides in Python.
    candidates: dict[str, dict[str, bool]] = {}
    for chunk in chunks(labels):
        query = select(label_uri, label_model.label, label_model.kind).where(
            func.lower(label_model.label).in_(chunk), label_model.kind != "hidden"
        )
        if kind == "skill":
            query = query.join(Skill, Skill.uri == label_uri).where(Skill.kind == "skill")
        for uri, label, label_kind in session.execute(query):
            found = candidates.setdefault(normalise_label(label), {})
            found[uri] = found.get(uri, False) or label_kind == "preferred"
    for label in labels:
        found = candidates.get(label, {})
        preferred = [uri for uri, is_pref in found.items() if is_pref]
        if len(found) == 1:
            table[label] = next(iter(found))
        elif len(preferred) == 1:
            table[label] = preferred[0]  # a preferred label beats another concept's alt label
        else:
            table[label] = None
            if found:
                lookup.ambiguous.add((kind, label))
    return table


def build_lookup(
    session: Session, *, skill_refs: Iterable[str] = (), occupation_refs: Iterable[str] = ()
) -> ConceptLookup:
    """Resolve all given references at once and return the map."""
    lookup = ConceptLookup()
    lookup.skills = _resolve_kind(session, "skill", set(skill_refs), lookup)
    lookup.occupations = _resolve_kind(session, "occupation", set(occupation_refs), lookup)
    return lookup
