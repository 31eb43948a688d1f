"""Copy the 35 Dutch labour-market regions from ../shared/regions into data/regions/.

Run from the repository root:  python scripts/build_regions.py [--source ../shared/regions]
The file is validated (35 unique slugs, coordinates inside the Netherlands) before it is written.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(source: Path, target: Path) -> int:
    """Validate and copy the regions CSV and its README; return the number of regions."""
    with open(source / "arbeidsmarktregios.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    slugs = {row["slug"] for row in rows}
    if len(rows) != 35 or len(slugs) != 35:
        raise SystemExit(f"expected 35 unique regions, got {len(rows)} rows, {len(slugs)} slugs")
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        if not (50.7 <= lat <= 53.6 and 3.3 <= lon <= 7.3):
            raise SystemExit(f"{row['slug']}: centre {lat},{lon} lies outside the Netherlands")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "arbeidsmarktregios.csv", target / "arbeidsmarktregios.csv")
    shutil.copyfile(source / "README.md", target / "README.md")
    return len(rows)


def main() -> None:
    """Parse arguments and copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "regions")
    parser.add_argument("--target", type=Path, default=ROOT / "data" / "regions")
    args = parser.parse_args()
    print(f"{build(args.source, args.target)} regions copied to {args.target}")


if __name__ == "__main__":
    main()
