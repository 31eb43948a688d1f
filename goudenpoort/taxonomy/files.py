"""Read the compact ESCO copy, refusing files that do not match their manifest."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from goudenpoort.errors import DataFileError

SEP = "|"
EXPECTED_COLUMNS = {
    "skills.csv.gz": ["uri", "kind", "skill_type", "reuse_level", "code", "label_en", "alt_en",
                      "hidden_en", "label_nl", "alt_nl"],
    "occupations.csv.gz": ["uri", "code", "isco_group", "technical", "label_en", "alt_en",
                           "hidden_en", "label_nl", "alt_nl"],
    "isco_groups.csv.gz": ["uri", "code", "label_en", "label_nl"],
    "skill_broader.csv.gz": ["uri", "broader_uri"],
    "occupation_broader.csv.gz": ["uri", "broader_uri"],
    "skill_relations.csv.gz": ["uri", "related_uri", "relation_type"],
    "occupation_skills.csv.gz": ["occupation_uri", "skill_uri", "relation_type"],
}


@dataclass(frozen=True)
class Release:
    """A verified taxonomy directory: its manifest and the digest of that manifest."""

    directory: Path
    name: str
    version: str
    digest: str
    rows: dict[str, int]

    def read(self, name: str) -> Iterator[dict[str, str]]:
        """Yield the rows of one file of the release as dicts."""
        data = (self.directory / name).read_bytes()
        try:
            text = gzip.decompress(data).decode("utf-8")
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise DataFileError(f"{name}: cannot be decompressed or decoded ({exc})") from exc
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if reader.fieldnames != EXPECTED_COLUMNS[name]:
            raise DataFileError(
                f"{name}: columns {reader.fieldnames} differ from {EXPECTED_COLUMNS[name]}"
            )
        yield from reader


def split(cell: str) -> list[str]:
    """Split a `|`-joined cell into its non-empty parts."""
    return [part for part in cell.split(SEP) if part]


def open_release(directory: str | Path) -> Release:
    """Check the manifest and every file's size and checksum; raise DataFileError if off."""
    directory = Path(directory)
    manifest_path = directory / "MANIFEST.json"
    try:
        raw = manifest_path.read_bytes()
        manifest = json.loads(raw)
        files = manifest["files"]
    except FileNotFoundError as exc:
        raise DataFileError(f"{manifest_path} is missing") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(f"{manifest_path} is not a valid manifest ({exc})") from exc
    missing = sorted(set(EXPECTED_COLUMNS) - set(files))
    if missing:
        raise DataFileError(f"{manifest_path} does not list {', '.join(missing)}")
    for name in EXPECTED_COLUMNS:
        path = directory / name
        if not path.is_file():
            raise DataFileError(f"{path} is missing")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != files[name]["sha256"]:
            raise DataFileError(
                f"{path} is corrupt or truncated: its SHA-256 does not match MANIFEST.json"
            )
    return Release(
        directory=directory,
        name=str(manifest.get("name", "ESCO")),
        version=str(manifest.get("version", "")),
        digest=hashlib.sha256(raw).hexdigest(),
        rows={name: int(files[name]["rows"]) for name in EXPECTED_COLUMNS},
    )
