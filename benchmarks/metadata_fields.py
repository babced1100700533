"""Benchmark (metadata): per-field accuracy of warta's extractor over the golden fixtures.

Usage: python benchmarks/metadata_fields.py [GOLDEN_DIR] [--failures]

Reads every ``NAME.json`` in GOLDEN_DIR (default: tests/pipeline/golden), runs ``extract``
on the matching ``NAME.html``/``NAME.html.gz`` and, for each Article field named in the
fixtures' ``expected`` blocks, prints how many fixtures got it exactly right. Fixtures are
grouped by page structure (the second dash-separated part of the name, e.g. ``wp``,
``kompas``, ``static``) so a weak platform stands out. ``--failures`` lists every miss.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.extract import extract
from pipeline.types import ExtractionError

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "pipeline" / "golden"


def _html(case: Path) -> bytes:
    plain = case.with_suffix(".html")
    if plain.exists():
        return plain.read_bytes()
    return gzip.decompress(case.with_suffix(".html.gz").read_bytes())


def _structure(name: str) -> str:
    parts = name.split("-")
    return parts[1] if len(parts) > 1 else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("golden_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--failures", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)

    cases = sorted(args.golden_dir.glob("*.json"))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_structure: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    started = time.process_time()
    for case in cases:
        spec = json.loads(case.read_text(encoding="utf-8"))
        expected = spec.get("expected", {})
        try:
            article = extract(_html(case), spec["url"]).to_dict()
        except ExtractionError as exc:
            misses.append(f"{case.stem}: ExtractionError {exc}")
            article = {}
        structure = _structure(case.stem)
        for field, want in expected.items():
            total[field] += 1
            by_structure[structure]["total"] += 1
            if article.get(field) == want:
                right[field] += 1
                by_structure[structure]["right"] += 1
            else:
                misses.append(f"{case.stem}: {field}: got {article.get(field)!r}, want {want!r}")
    elapsed = time.process_time() - started

    print(f"{len(cases)} fixtures, {sum(total.values())} field checks, {elapsed:.2f}s CPU")
    print(f"{'field':<16}{'right':>7}{'total':>7}{'accuracy':>10}")
    for field in sorted(total):
        print(f"{field:<16}{right[field]:>7}{total[field]:>7}{right[field] / total[field]:>10.1%}")
    all_right, all_total = sum(right.values()), sum(total.values())
    if all_total:
        print(f"{'ALL':<16}{all_right:>7}{all_total:>7}{all_right / all_total:>10.1%}")
    print()
    print(f"{'structure':<16}{'right':>7}{'total':>7}{'accuracy':>10}")
    for structure, counts in sorted(by_structure.items()):
        share = counts["right"] / counts["total"] if counts["total"] else 0.0
        print(f"{structure:<16}{counts['right']:>7}{counts['total']:>7}{share:>10.1%}")
    if args.failures and misses:
        print()
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
