"""Save and load a fitted vectorizer and index atomically, with a manifest; refuse the rest.

Layout of an index directory:
  manifest.json         written last, by os.replace: the commit point
  index-<sha12>.npz     every array (no pickles), named by its checksum
A reader sees the old or the new index, never half of one. A manifest that is not ours, of
another format version or other weights, or whose data file's checksum differs, is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn

from goudenpoort.matching import weights
from goudenpoort.matching.index import MatchIndex
from goudenpoort.matching.skill_space import SkillSpace
from goudenpoort.matching.vectorizer import SkillVectorizer

FORMAT = "goudenpoort-matching-index"
FORMAT_VERSION = 2  # 2: idf counted on the skills items list, not after propagation
MANIFEST = "manifest.json"


class ArtifactError(Exception):
    """An index artifact is missing, foreign, stale or corrupt."""


def model_weights() -> dict[str, float]:
    """Return every named weight of the model (recorded in, and checked against, manifests)."""
    return {name: value for name, value in vars(weights).items()
            if name.isupper() and isinstance(value, int | float)}


def _write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, fsync, then os.replace it into place."""
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


def save(index: MatchIndex, directory: str | Path) -> dict[str, Any]:
    """Write the index (compacted) and its manifest into `directory`; return the manifest."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    space = index.vectorizer.space
    arrays = index.arrays()
    arrays.update(
        vocabulary=np.array([u.encode() for u in space.vocabulary], dtype="S"),
        is_group=space.is_group, is_generic=space.is_generic, broader=space.broader,
        related=space.related, idf=index.vectorizer.idf,
    )
    with tempfile.TemporaryFile() as buffer:
        np.savez(buffer, **arrays)  # type: ignore[arg-type]
        buffer.seek(0)
        data = buffer.read()
    digest = hashlib.sha256(data).hexdigest()
    name = f"index-{digest[:12]}.npz"
    _write_atomic(directory / name, data)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "side": index.side,
        "file": name, "sha256": digest, "bytes": len(data),
        "item_count": len(index), "taxonomy_release": space.release,
        "built_at": datetime.fromtimestamp(index.built_at, UTC).isoformat(),
        "saved_at": datetime.now(UTC).isoformat(),
        "scikit_learn_version": sklearn.__version__, "numpy_version": np.__version__,
        "scipy_version": scipy.__version__, "weights": model_weights(),
    }
    _write_atomic(directory / MANIFEST, json.dumps(manifest, indent=2).encode())
    for old in directory.glob("index-*.npz"):
        if old.name != name:
            old.unlink(missing_ok=True)  # readers that opened it keep their file handle
    return manifest


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """Return the manifest of an index directory after checking it is ours and current."""
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArtifactError(f"no index at {directory} ({MANIFEST} is missing)") from exc
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{path} is not a readable manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArtifactError(f"{path} was not written by the matching engine")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(f"{path} has format version {manifest.get('format_version')}, "
                            f"this engine reads {FORMAT_VERSION}; rebuild the index")
    if manifest.get("weights") != model_weights():
        raise ArtifactError(f"{path} was built with other model weights; rebuild the index")
    return manifest


def load(directory: str | Path) -> tuple[MatchIndex, dict[str, Any]]:
    """Load a saved index; raise ArtifactError if it is missing, foreign, stale or corrupt."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    name = str(manifest.get("file", ""))
    if not name.startswith("index-") or "/" in name or not name.endswith(".npz"):
        raise ArtifactError(f"manifest in {directory} names an unexpected file {name!r}")
    try:
        data = (directory / name).read_bytes()
    except OSError as exc:
        raise ArtifactError(f"{directory / name} cannot be read ({exc})") from exc
    if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        raise ArtifactError(f"{directory / name} is corrupt: its checksum differs")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            a = {key: npz[key] for key in npz.files}
        space = SkillSpace([v.decode() for v in a["vocabulary"]], a["broader"], a["related"],
                           a["is_group"], a["is_generic"], str(manifest["taxonomy_release"]))
        vectorizer = SkillVectorizer(space, a["idf"])
        postings = sp.csr_matrix(
            (a["postings_data"], a["postings_indices"], a["postings_indptr"]),
            shape=(vectorizer.features, len(a["ids"])))
        built = datetime.fromisoformat(manifest["built_at"]).timestamp()
        index = MatchIndex.from_postings(vectorizer, manifest["side"], a["ids"], a["kinds"],
                                         postings, built)
    except (KeyError, ValueError, TypeError, OSError) as exc:
        raise ArtifactError(f"{directory / name} does not hold a valid index ({exc})") from exc
    return index, manifest


def age_seconds(manifest: dict[str, Any]) -> float:
    """Return how old the index of a manifest is (for readiness reports)."""
    return max(0.0, time.time() - datetime.fromisoformat(manifest["built_at"]).timestamp())
