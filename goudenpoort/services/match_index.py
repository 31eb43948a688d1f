"""The matching index of one process: built or loaded once, kept fresh from the change log.

A registry holds two engine indexes over one fitted vectorizer: *items* (technical
occupations, live routes, open vacancies, employers) and *candidates*. It is built from the
database (or loaded from the artifacts in INDEX_DIR when their manifest fits the loaded
taxonomy release and the model weights) and then follows `match_changes`: before every match
request the worker reads the log rows after the last one it applied and re-reads just those
profiles (`upsert` or `remove`), compacting now and then. A rebuild (`flask index build`, or
`MatchRegistry.rebuild`) is assembled beside the current index and swapped in as one object,
so requests meanwhile are served from the previous index; a running worker adopts an index
that `flask index build` saved as soon as it is newer than its own.

Freshness across workers on PostgreSQL: sequence values are handed out at insert time but
become visible at commit, so a slow transaction can commit a lower id after a higher one was
read. Ids skipped over are kept as *gaps* and looked for again for GAP_SECONDS.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from goudenpoort.batches import chunks
from goudenpoort.errors import Unavailable
from goudenpoort.matching import artifacts
from goudenpoort.matching.index import MatchIndex
from goudenpoort.matching.profiles import Candidate, Item
from goudenpoort.matching.skill_space import SkillSpace
from goudenpoort.matching.vectorizer import SkillVectorizer
from goudenpoort.services import match_profiles as profiles
from goudenpoort.services.distance import region_centres
from goudenpoort.services.match_changes import last_change_id
from models import MatchChange, Vacancy

log = logging.getLogger(__name__)

REGISTRY_FILE = "registry.json"
FORMAT = "goudenpoort-match-registry"
FORMAT_VERSION = 1
COMPACT_MIN = 256  # compact once this many rows wait in the buffer and tombstones ...
COMPACT_SHARE = 0.05  # ... or this share of the index, whichever is more
GAP_SECONDS = 300.0  # how long a skipped change id is looked for again
GRACE_SECONDS = 60.0  # after loading an artifact, re-apply changes this much older than it
READ_BATCH = 20000  # change rows read per query


@dataclass
class IndexState:
    """One consistent generation of the index: swapped as a whole, never half-updated."""

    items: MatchIndex
    candidates: MatchIndex
    release: str
    built_at: float
    source: str  # built | artifact
    last_seen: int = 0  # the id of the last change applied
    last_seen_at: datetime | None = None
    gaps: dict[int, float] = field(default_factory=dict)  # skipped change id -> noticed at
    applied: int = 0  # changes applied since the build

    def info(self) -> dict[str, Any]:
        """Return size, age and pending work, for /readyz and `flask index info`."""
        return {
            "items": len(self.items), "candidates": len(self.candidates),
            "release": self.release, "source": self.source,
            "built_at": datetime.fromtimestamp(self.built_at, UTC).isoformat(),
            "age_seconds": round(max(0.0, time.time() - self.built_at), 1),
            "last_change": self.last_seen, "changes_applied": self.applied,
            "pending_compaction": self.items.pending + self.candidates.pending,
            "bytes": self.items.nbytes() + self.candidates.nbytes(),
        }


# The skill space depends only on the taxonomy release: share it between registries (tests
# build one registry per test; an app rebuild need not re-read 26k taxonomy rows).
_spaces: dict[str, SkillSpace] = {}
_spaces_lock = threading.Lock()


def skill_space(session: Session, release: str) -> SkillSpace:
    """Return the skill space of the loaded taxonomy, read once per release."""
    with _spaces_lock:
        space = _spaces.get(release)
        if space is None:
            graph, uris = profiles.skill_graph(session)
            space = SkillSpace.from_graph(graph, extra=uris)
            _spaces.clear()
            _spaces[release] = space
        return space


def _index(vectorizer: SkillVectorizer, side: str, rows: Iterable[Item | Candidate],
           fit: bool = False) -> MatchIndex:
    """Build an index of one side (an empty one too, which `MatchIndex.build` cannot tell)."""
    rows = list(rows)
    if rows:
        return MatchIndex.build(vectorizer, rows, fit=fit)
    empty = sp.csr_matrix((0, vectorizer.features), dtype=np.float32)
    return MatchIndex(vectorizer, side, [], [], empty)


def build_state(session: Session) -> IndexState:
    """Build both indexes from the database (the idf is fitted on the items)."""
    release = profiles.taxonomy_release(session)
    if release is None:
        raise Unavailable("No taxonomy is loaded; run `flask taxonomy import`.")
    # Read the log position first: a change committed while we read is applied again later,
    # which is harmless (applying re-reads the current row).
    watermark = last_change_id(session)
    marked_at = _change_at(session, watermark)
    started = time.time()
    items = [*profiles.occupation_items(session), *profiles.all_routes(session),
             *profiles.all_vacancies(session), *profiles.all_employers(session)]
    candidates = list(profiles.all_candidates(session))
    return assemble(session, release, items, candidates, watermark, marked_at, started)


def assemble(session: Session, release: str, items: list[Item], candidates: list[Candidate],
             watermark: int, marked_at: datetime | None, started: float) -> IndexState:
    """Vectorize the profiles read by `build_state` into a new generation."""
    vectorizer = SkillVectorizer(skill_space(session, release))
    items_index = _index(vectorizer, "items", items, fit=True)
    candidates_index = _index(vectorizer, "candidates", candidates)
    items_index.built_at = candidates_index.built_at = started
    return IndexState(items_index, candidates_index, release, started, "built",
                      last_seen=watermark, last_seen_at=marked_at)


def _change_at(session: Session, change_id: int) -> datetime | None:
    """Return when a change was logged (None if there is no such row)."""
    if not change_id:
        return None
    return session.scalar(select(MatchChange.at).where(MatchChange.id == change_id))


def _same_time(a: datetime | None, b: datetime | None) -> bool:
    """Compare two timestamps, whether the driver returned them aware or naive (SQLite)."""
    if a is None or b is None:
        return a is b
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


# ---- artifacts ------------------------------------------------------------------------------
def _write_atomic(path: Path, data: bytes) -> None:
    """Write a file beside its target, fsync, then os.replace it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_state(state: IndexState, directory: str | Path) -> dict[str, Any]:
    """Save both indexes (each atomically, with its manifest), then the registry file naming
    them and the change-log position: the registry file is the commit point."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    items = artifacts.save(state.items, directory / "items")
    candidates = artifacts.save(state.candidates, directory / "candidates")
    record = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "taxonomy_release": state.release,
        "built_at": datetime.fromtimestamp(state.built_at, UTC).isoformat(),
        "last_change": state.last_seen,
        "last_change_at": state.last_seen_at.isoformat() if state.last_seen_at else None,
        "items": {"sha256": items["sha256"], "count": items["item_count"]},
        "candidates": {"sha256": candidates["sha256"], "count": candidates["item_count"]},
    }
    _write_atomic(directory / REGISTRY_FILE, json.dumps(record, indent=2).encode())
    return record


def read_record(directory: str | Path) -> dict[str, Any]:
    """Return the registry file of an index directory, or raise ArtifactError."""
    path = Path(directory) / REGISTRY_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise artifacts.ArtifactError(f"no index at {directory}") from exc
    except (OSError, ValueError) as exc:
        raise artifacts.ArtifactError(f"{path} is not readable ({exc})") from exc
    if not isinstance(record, dict) or record.get("format") != FORMAT or \
            record.get("format_version") != FORMAT_VERSION:
        raise artifacts.ArtifactError(f"{path} was not written by this version")
    return record


def load_state(directory: str | Path, release: str) -> IndexState:
    """Load saved indexes; raise ArtifactError unless they fit the release and each other."""
    directory = Path(directory)
    record = read_record(directory)
    if record.get("taxonomy_release") != release:
        raise artifacts.ArtifactError(
            f"index built on {record.get('taxonomy_release')!r}, database has {release!r}")
    items, items_manifest = artifacts.load(directory / "items")
    candidates, candidates_manifest = artifacts.load(directory / "candidates")
    if items_manifest["sha256"] != record["items"]["sha256"] or \
            candidates_manifest["sha256"] != record["candidates"]["sha256"]:
        raise artifacts.ArtifactError("the saved indexes are not of one build")
    if items.side != "items" or candidates.side != "candidates":
        raise artifacts.ArtifactError("the saved indexes are of the wrong side")
    # Both indexes were saved with the same fitted vectorizer: share one.
    candidates.vectorizer = items.vectorizer
    built = datetime.fromisoformat(record["built_at"]).timestamp()
    at = record.get("last_change_at")
    return IndexState(items, candidates, release, built, "artifact",
                      last_seen=int(record.get("last_change") or 0),
                      last_seen_at=datetime.fromisoformat(at) if at else None)


# ---- applying changes -------------------------------------------------------------------------
def apply_changes(session: Session, state: IndexState, changed: dict[str, set[str]]) -> None:
    """Re-read the changed profiles and upsert them, removing what is gone, closed or erased."""
    centres = region_centres(session)
    vacancy_ids = changed.get("vacancy", set())
    employers = set(changed.get("employer", set()))
    if vacancy_ids:
        # An employer's item holds its open vacancies' skills: it changes with them.
        ids = profiles.as_uuids(vacancy_ids)
        for chunk in chunks(ids):
            employers.update(str(e) for e in session.scalars(
                select(Vacancy.employer_id).where(Vacancy.id.in_(chunk))))
    fresh: list[tuple[MatchIndex, set[str], list[Item] | list[Candidate]]] = []
    if changed.get("candidate"):
        rows = profiles.load_candidates(session, changed["candidate"])
        fresh.append((state.candidates, changed["candidate"],
                      profiles.candidate_profiles(session, rows, centres)))
    if changed.get("route"):
        fresh.append((state.items, changed["route"], [
            profiles.route_item(r, centres)
            for r in profiles.load_routes(session, changed["route"])]))
    if vacancy_ids:
        fresh.append((state.items, vacancy_ids, [
            profiles.vacancy_item(v, centres)
            for v in profiles.load_vacancies(session, vacancy_ids)]))
    if employers:
        fresh.append((state.items, employers, profiles.employer_items(session, employers)))
    for index, ids, found in fresh:
        for profile in found:
            index.upsert(profile)
        for gone in ids - {p.id for p in found}:
            index.remove(gone)
    for index in (state.items, state.candidates):
        if index.pending > max(COMPACT_MIN, COMPACT_SHARE * len(index)):
            index.compact()


class MatchRegistry:
    """The index of one process, for one database: load or build, follow the log, swap."""

    def __init__(self, index_dir: str | Path | None = None, *, save_builds: bool = True,
                 label_recheck_seconds: float = 0.0) -> None:
        """Keep artifacts in `index_dir` (None: never saved or loaded); match answers name
        concepts from a label copy checked against the database every `label_recheck_seconds`
        (0: on every answer)."""
        self.index_dir = Path(index_dir) if index_dir else None
        self.save_builds = save_builds
        self.label_recheck_seconds = label_recheck_seconds
        self._state: IndexState | None = None
        self._lock = threading.RLock()  # guards the current generation's reads and writes
        self._build_lock = threading.Lock()  # one build at a time
        self.rebuilding = False
        self.last_error: str | None = None
        self._seen_stamp: int | None = None  # mtime of the registry file we last looked at

    @property
    def state(self) -> IndexState | None:
        """Return the current generation (None before the first load or build)."""
        return self._state

    # ---- getting a generation --------------------------------------------------------------
    def ensure(self, session: Session) -> IndexState:
        """Return the current generation, loading or building the first one if needed."""
        state = self._state
        if state is not None:
            return state
        with self._build_lock:
            if self._state is None:
                self._install(self._load_or_build(session))
        assert self._state is not None
        return self._state

    def _load_or_build(self, session: Session) -> IndexState:
        """Load the saved index if it fits the database, else build (and save) a new one."""
        release = profiles.taxonomy_release(session)
        if release is None:
            raise Unavailable("No taxonomy is loaded; run `flask taxonomy import`.")
        if self.index_dir is not None:
            try:
                state = load_state(self.index_dir, release)
                self._catch_up(session, state)
            except artifacts.ArtifactError as exc:
                log.info("matching index: building (%s)", exc)
            else:
                log.info("matching index: loaded from %s", self.index_dir)
                self._seen_stamp = self._stamp()
                return state
        state = build_state(session)
        if self.index_dir is not None and self.save_builds:
            try:
                save_state(state, self.index_dir)
                self._seen_stamp = self._stamp()
            except OSError as exc:  # a read-only instance folder must not stop serving
                log.warning("matching index: not saved (%s)", exc)
        return state

    def _stamp(self) -> int | None:
        """Return the mtime of the saved registry file (None: there is none)."""
        if self.index_dir is None:
            return None
        try:
            return (self.index_dir / REGISTRY_FILE).stat().st_mtime_ns
        except OSError:
            return None

    def _catch_up(self, session: Session, state: IndexState) -> None:
        """After a load, re-apply recent changes that may have committed late, then go on."""
        if state.last_seen and not _same_time(_change_at(session, state.last_seen),
                                              state.last_seen_at):
            raise artifacts.ArtifactError("the change log no longer holds the saved position")
        since = datetime.fromtimestamp(state.built_at - GRACE_SECONDS, UTC)
        rows = session.execute(select(MatchChange.side, MatchChange.item_id)
                               .where(MatchChange.at >= since,
                                      MatchChange.id <= state.last_seen)).all()
        changed: dict[str, set[str]] = {}
        for side, item_id in rows:
            changed.setdefault(side, set()).add(item_id)
        if changed:
            apply_changes(session, state, changed)

    def _install(self, state: IndexState) -> None:
        """Swap a generation in as one object (readers hold the lock while they use one)."""
        with self._lock:
            self._state = state

    # ---- following the change log ----------------------------------------------------------
    @contextmanager
    def use(self, session: Session) -> Iterator[IndexState]:
        """Yield the current generation brought up to date, locked while the caller ranks."""
        self.ensure(session)
        self.adopt_saved(session)
        with self._lock:
            state = self.sync(session)
            yield state

    def sync(self, session: Session) -> IndexState:
        """Apply the changes logged since the last sync; rebuild when that is cheaper."""
        state = self.ensure(session)
        with self._lock:
            state = self._state or state
            if profiles.taxonomy_release(session) != state.release or (
                    state.last_seen and not _same_time(_change_at(session, state.last_seen),
                                                       state.last_seen_at)):
                # Another taxonomy, or a change log that no longer holds what we applied (a
                # restored database, a rolled-back test): start again from the database.
                return self._rebuild_locked(session)
            now = time.time()
            state.gaps = {g: t for g, t in state.gaps.items() if now - t < GAP_SECONDS}
            condition = MatchChange.id > state.last_seen
            if state.gaps:
                condition = or_(condition, MatchChange.id.in_(sorted(state.gaps)[:1000]))
            rows = session.execute(
                select(MatchChange.id, MatchChange.side, MatchChange.item_id, MatchChange.at)
                .where(condition).order_by(MatchChange.id).limit(READ_BATCH)).all()
            if not rows:
                return state
            changed: dict[str, set[str]] = {}
            for _id, side, item_id, _at in rows:
                changed.setdefault(side, set()).add(item_id)
            apply_changes(session, state, changed)
            seen = {row[0] for row in rows}
            newest = max(seen)
            for skipped in range(state.last_seen + 1, newest):
                if skipped not in seen and newest - skipped < 10000:
                    state.gaps.setdefault(skipped, now)
            for found in seen:
                state.gaps.pop(found, None)
            if newest > state.last_seen:
                state.last_seen = newest
                state.last_seen_at = next(r[3] for r in rows if r[0] == newest)
            state.applied += len(rows)
            return state

    def adopt_saved(self, session: Session) -> bool:
        """Swap in an index saved since ours was made (by `flask index build`) if it is newer;
        return whether one was adopted. It is loaded outside the lock: readers go on meanwhile."""
        if self.index_dir is None or self._state is None:
            return False
        stamp = self._stamp()
        if stamp is None or stamp == self._seen_stamp:
            return False
        self._seen_stamp = stamp
        current = self._state
        try:
            record = read_record(self.index_dir)
            built = datetime.fromisoformat(record["built_at"]).timestamp()
            if built <= current.built_at or int(record.get("last_change") or 0) < current.last_seen:
                return False
            state = load_state(self.index_dir, current.release)
            self._catch_up(session, state)
        except (artifacts.ArtifactError, KeyError, ValueError) as exc:
            log.warning("matching index: saved index not adopted (%s)", exc)
            return False
        self._install(state)
        log.info("matching index: adopted the index saved in %s", self.index_dir)
        return True

    # ---- rebuilding -------------------------------------------------------------------------
    def _rebuild_locked(self, session: Session) -> IndexState:
        """Rebuild while holding the lock (called from a sync that found it cheaper)."""
        state = build_state(session)
        self._state = state
        return state

    def rebuild(self, session: Session, *, save: bool = False) -> IndexState:
        """Build a new generation beside the current one and swap it in; requests meanwhile
        use the previous generation. On failure the previous generation stays."""
        with self._build_lock:
            self.rebuilding = True
            try:
                state = build_state(session)
            except Exception as exc:
                self.last_error = str(exc)
                raise
            finally:
                self.rebuilding = False
            self.last_error = None
            if save and self.index_dir is not None:
                save_state(state, self.index_dir)  # not yet installed: no reader is in it
                self._seen_stamp = self._stamp()
            self._install(state)
        return self.sync(session)

    def reset(self) -> None:
        """Forget the current generation (the next request loads or builds again)."""
        with self._lock:
            self._state = None


def pending_changes(session: Session, since: int) -> int:
    """Return how many changes were logged after a change id (what a loaded index applies)."""
    return int(session.scalar(select(func.count()).select_from(MatchChange)
                              .where(MatchChange.id > since)) or 0)


def prune_changes(session: Session, *, keep_days: float = 7.0) -> int:
    """Delete log rows older than `keep_days`, always keeping the newest; return how many."""
    newest = last_change_id(session)
    cutoff = datetime.now(UTC) - timedelta(days=keep_days)
    result = session.execute(MatchChange.__table__.delete().where(
        MatchChange.id < newest, MatchChange.at < cutoff))
    return int(result.rowcount or 0)


def item_id(value: uuid.UUID | str) -> str:
    """Return the index id of a catalogue row or candidate."""
    return str(value)
