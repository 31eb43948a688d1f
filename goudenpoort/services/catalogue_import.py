"""Bulk import of routes and vacancies from a JSON array or a CSV file, with a per-row report.

Every row is checked on its own: valid rows are upserted by external id, each invalid row is
reported with its row number and field errors and nothing of it is written. Problems of the
file as a whole (not UTF-8, a wrong CSV header, not a JSON array) are a DataFileError and
nothing is written at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import update
from sqlalchemy.orm import Session

from goudenpoort.errors import DataFileError
from goudenpoort.safe_input import UNSTORABLE_MESSAGE, loads_json, unstorable_paths
from goudenpoort.services import catalogue
from goudenpoort.services.catalogue_rows import read_route, read_vacancy
from goudenpoort.services.routes import save_routes
from goudenpoort.services.vacancies import save_vacancies
from models import Organisation

Kind = Literal["routes", "vacancies"]
Format = Literal["csv", "json"]

LIST_SEPARATOR = "|"
LEVEL_SUFFIX = re.compile(r"^(?P<ref>.*?)\s*@\s*(?P<level>[^@]*)$")
MAX_REPORTED_ERRORS = 1000  # a report of 50 000 broken rows helps nobody; the count is exact
SAVE_BATCH = 2000

# CSV columns of each kind, in the documented order; the first group is required.
CSV_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "routes": (
        ("external_id", "title", "level", "mode"),
        ("description", "place", "region", "lat", "lon", "duration_weeks", "hours_per_week",
         "start_dates", "seats", "cost_eur", "funding_notes", "min_education", "min_dutch_cefr",
         "required_skills", "skills", "modules", "occupations", "job_guarantee_partners"),
    ),
    "vacancies": (
        ("external_id", "title", "occupation", "region"),
        ("description", "essential_skills", "optional_skills", "min_dutch_cefr",
         "min_education", "hours_per_week", "start_date", "place", "lat", "lon", "positions",
         "guarantee", "status"),
    ),
}


@dataclass
class Record:
    """One row of an import file in API shape, with where it came from."""

    row: int  # 1-based position among the data rows (JSON items or CSV records)
    raw: Any
    line: int | None = None  # CSV: the physical line the record ends on (the header is line 1)
    paths: list[tuple[str, str]] = field(default_factory=list)  # API path -> CSV column path
    errors: dict[str, list[str]] = field(default_factory=dict)  # found while reading the cells


@dataclass
class ImportReport:
    """The outcome of one import."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    errors_truncated: bool = False

    def add_error(self, record: Record, details: dict[str, list[str]]) -> None:
        """Count a failed row and list it (up to MAX_REPORTED_ERRORS)."""
        self.failed += 1
        if len(self.errors) >= MAX_REPORTED_ERRORS:
            self.errors_truncated = True
            return
        entry: dict[str, Any] = {"row": record.row}
        if record.line is not None:
            entry["line"] = record.line
        external_id = record.raw.get("external_id") if isinstance(record.raw, dict) else None
        if isinstance(external_id, str | int):
            entry["external_id"] = str(external_id)
        entry["details"] = {_csv_path(path, record.paths): messages
                            for path, messages in details.items()}
        self.errors.append(entry)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as the API returns it."""
        return {
            "kind": self.kind, "rows": self.rows, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed,
            "errors": self.errors, "errors_truncated": self.errors_truncated,
        }


def _csv_path(path: str, paths: list[tuple[str, str]]) -> str:
    """Rename an API field path to the CSV column it came from (longest prefix wins)."""
    for api, column in sorted(paths, key=lambda pair: -len(pair[0])):
        if path == api or path.startswith((api + ".", api + "[")):
            return column + path[len(api):]
    return path


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or raise a DataFileError that says where it broke."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(
            f"The file is not UTF-8: byte {exc.start} on line {line} cannot be decoded. "
            "Save it as UTF-8 (in Excel: 'CSV UTF-8'); nothing was imported.",
            details={"encoding": [f"Invalid UTF-8 at byte {exc.start} (line {line})."]},
        ) from None


def read_json(data: bytes) -> list[Record]:
    """Read a JSON array of items in API shape."""
    try:
        items = loads_json(decode(data))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"The file is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}): {exc.msg}; nothing was imported.") from None
    if not isinstance(items, list):
        raise DataFileError("A JSON import must be an array of objects; nothing was imported.")
    return [Record(row=index + 1, raw=item) for index, item in enumerate(items)]


def _split(cell: str) -> list[str]:
    """Split a list cell on `|`, dropping empty parts."""
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _concept_cell(cell: str) -> list[dict[str, Any]]:
    """Turn `uri-or-label|...` into concept items."""
    return [{"uri" if part.startswith(("http://", "https://")) else "label": part}
            for part in _split(cell)]


def _skill_cell(cell: str, *, essential: bool | None = None) -> list[dict[str, Any]]:
    """Turn `uri-or-label@level|...` into skill items (a missing level is reported later)."""
    items = []
    for part in _split(cell):
        match = LEVEL_SUFFIX.match(part)
        ref, level = (match["ref"], match["level"].strip()) if match else (part, None)
        item: dict[str, Any] = {"uri" if ref.startswith(("http://", "https://")) else "label": ref,
                                "level": level}
        if essential is not None:
            item["essential"] = essential
        items.append(item)
    return items


def _route_from_cells(cells: dict[str, str], record: Record) -> dict[str, Any]:
    """Build a route in API shape from the cells of one CSV record."""
    raw: dict[str, Any] = {
        name: cells[name] for name in (
            "external_id", "title", "description", "level", "mode", "place", "region", "lat",
            "lon", "duration_weeks", "hours_per_week", "seats", "cost_eur", "funding_notes",
        ) if cells.get(name, "") != ""
    }
    raw["start_dates"] = _split(cells.get("start_dates", ""))
    raw["prerequisites"] = {
        "min_education": cells.get("min_education") or None,
        "min_dutch_cefr": cells.get("min_dutch_cefr") or None,
        "skills": _skill_cell(cells.get("required_skills", "")),
    }
    raw["skills"] = _skill_cell(cells.get("skills", ""))
    raw["occupations"] = _concept_cell(cells.get("occupations", ""))
    raw["job_guarantee_partners"] = _split(cells.get("job_guarantee_partners", ""))
    modules = cells.get("modules", "").strip()
    if modules:
        try:
            raw["modules"] = loads_json(modules)
        except json.JSONDecodeError as exc:
            record.errors["modules"] = [f"Not valid JSON: {exc.msg} (column {exc.colno})."]
    record.paths = [
        ("prerequisites.skills", "required_skills"),
        ("prerequisites.min_education", "min_education"),
        ("prerequisites.min_dutch_cefr", "min_dutch_cefr"),
    ]
    return raw


def _vacancy_from_cells(cells: dict[str, str], record: Record) -> dict[str, Any]:
    """Build a vacancy in API shape from the cells of one CSV record."""
    raw: dict[str, Any] = {
        name: cells[name] for name in (
            "external_id", "title", "description", "min_dutch_cefr", "min_education",
            "hours_per_week", "start_date", "place", "region", "lat", "lon", "positions",
            "guarantee", "status",
        ) if cells.get(name, "") != ""
    }
    occupation = _concept_cell(cells.get("occupation", ""))
    if len(occupation) > 1:
        record.errors["occupation"] = ["Give exactly one occupation."]
    raw["occupation"] = occupation[0] if occupation else None
    essential = _skill_cell(cells.get("essential_skills", ""), essential=True)
    optional = _skill_cell(cells.get("optional_skills", ""), essential=False)
    raw["skills"] = essential + optional
    record.paths = [(f"skills[{i}]", f"essential_skills[{i}]") for i in range(len(essential))]
    record.paths += [(f"skills[{len(essential) + i}]", f"optional_skills[{i}]")
                     for i in range(len(optional))]
    return raw


def read_csv(data: bytes, kind: Kind) -> list[Record]:
    """Read a CSV file (comma or semicolon separated, UTF-8) of routes or vacancies."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    required, optional = CSV_COLUMNS[kind]
    expected = ", ".join(required + optional)
    try:
        header = next(reader, None)
        if header is None:
            raise DataFileError("The file is empty; nothing was imported.")
        names = [name.strip().lower() for name in header]
        problems: dict[str, list[str]] = {}
        unknown = [name for name in names if name not in required + optional]
        missing = [name for name in required if name not in names]
        repeated = sorted(name for name, count in Counter(names).items() if count > 1)
        if unknown:
            problems["header.unknown"] = unknown
        if missing:
            problems["header.missing"] = missing
        if repeated:
            problems["header.repeated"] = repeated
        if problems:
            raise DataFileError(
                f"The CSV header does not fit {kind}; nothing was imported. "
                f"Columns: {expected} (required: {', '.join(required)}).",
                details=problems,
            )
        build = _route_from_cells if kind == "routes" else _vacancy_from_cells
        records: list[Record] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines (often at the end) are no rows
            record = Record(row=len(records) + 1, raw={}, line=reader.line_num)
            if len(cells) != len(names):
                record.errors["_schema"] = [
                    f"Has {len(cells)} fields; the header has {len(names)}."]
                position = names.index("external_id")
                record.raw = ({"external_id": cells[position].strip()}
                              if position < len(cells) else {})
            else:
                record.raw = build({n: c.strip() for n, c in zip(names, cells, strict=True)},
                                   record)
            records.append(record)
    except csv.Error as exc:
        raise DataFileError(f"The CSV is malformed at line {reader.line_num}: {exc}; "
                            "nothing was imported.") from None
    return records


def read_file(data: bytes, fmt: Format, kind: Kind) -> list[Record]:
    """Read an import file into records (raises DataFileError for a broken file)."""
    records = read_json(data) if fmt == "json" else read_csv(data, kind)
    for record in records:
        # Text no database can store fails its row here, before any look-up sees it.
        for path in unstorable_paths(record.raw):
            record.errors.setdefault(path, []).append(UNSTORABLE_MESSAGE)
    return records


def lock_owner(session: Session, owner_id: uuid.UUID) -> None:
    """Hold the owner's row until commit, so imports for one owner run one after another.

    Two imports of the same file at once would both find no existing rows and both insert,
    and the second would fail on the unique external id. A no-op UPDATE of the owner takes a
    row lock on PostgreSQL and the write lock on SQLite: the second import waits, then sees
    the first one's rows and reports them unchanged.
    """
    session.execute(update(Organisation).where(Organisation.id == owner_id)
                    .values(version=Organisation.version))


def import_records(
    session: Session,
    *,
    kind: Kind,
    owner_id: uuid.UUID,
    records: Sequence[Record],
    progress: Callable[[int], Any] | None = None,
) -> ImportReport:
    """Check every record, report the bad ones and upsert the good ones by external id."""
    lock_owner(session, owner_id)
    report = ImportReport(kind=kind, rows=len(records))
    read = read_route if kind == "routes" else read_vacancy
    save = save_routes if kind == "routes" else save_vacancies
    owner_key = "provider_id" if kind == "routes" else "employer_id"
    context = catalogue.build_context(session, [r.raw for r in records if not r.errors])
    ids: dict[str, list[int]] = {}
    for record in records:
        external_id = record.raw.get("external_id") if isinstance(record.raw, dict) else None
        if isinstance(external_id, str) and external_id.strip():
            ids.setdefault(external_id.strip(), []).append(record.row)
    for start in range(0, len(records), SAVE_BATCH):
        batch = records[start : start + SAVE_BATCH]
        good: list[dict[str, Any]] = []
        for record in batch:
            item, errors = (None, record.errors) if record.errors else read(record.raw, context)
            errors = dict(errors)
            if item is not None and not item["external_id"]:
                errors["external_id"] = ["Required for import: rows are upserted by it."]
            external_id = item["external_id"] if item else None
            if external_id and len(ids.get(external_id, ())) > 1:
                others = [str(row) for row in ids[external_id] if row != record.row]
                errors.setdefault("external_id", []).append(
                    f"Duplicate in this file (also row {', '.join(others)}); "
                    "none of these rows was imported.")
            if errors:
                report.add_error(record, errors)
            else:
                good.append(item)  # type: ignore[arg-type]
        if good:
            result = save(session, items=good, **{owner_key: owner_id})
            report.created += result.created
            report.updated += result.updated
            report.unchanged += result.unchanged
        if progress is not None:
            progress(len(batch))
    return report
