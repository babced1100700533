"""Benchmark (extraction): score warta's body extraction on a labelled page set.

Usage: python benchmarks/extraction.py DATASET_DIR [--compare] [--worst N] [--body-only]

DATASET_DIR holds ``html/ID.html.gz`` and ``ground-truth/ID.json`` (``articleBody``, ``url``).
Prints precision, recall, F1, exact-match accuracy and pages/s (CPU time of this single
process, so one core, after a 3-page warm-up that loads lazy models); with ``--compare``
also runs trafilatura and readability-lxml (when importable) in the same process and
prints speed ratios; then lists the worst pages with a short diff.

Speed is timed two ways in the same run. "pages/s" runs each extractor over the whole
page set in turn, for ``--rounds`` alternating rounds: each tool works as it does in
production, with its own code and data in the CPU caches, and a change of machine load
during the run still falls on all tools alike. "interleaved" times the page-by-page
interleaved pass that also produces the outputs: every call then starts with caches
filled by another tool, which costs the fastest tool the most.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.metric import PageScore, Summary, score_page, summarize
from pipeline import ExtractionError, extract

Extractor = Callable[[bytes, str], str]


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    summary: Summary
    pages_per_second: float
    interleaved_pages_per_second: float
    outputs: dict[str, str]
    scores: dict[str, PageScore]


def load_pages(dataset: Path) -> list[Page]:
    pages = []
    for html_path in sorted((dataset / "html").glob("*.html.gz")):
        page_id = html_path.name.removesuffix(".html.gz")
        truth = json.loads((dataset / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        html = gzip.decompress(html_path.read_bytes())
        pages.append(Page(page_id, truth.get("url") or "", html, truth.get("articleBody") or ""))
    return pages


def warta_full(html: bytes, url: str) -> str:
    try:
        return extract(html, url).text
    except ExtractionError:
        return ""


def warta_body(html: bytes, url: str) -> str:
    """Parse + body only: the extractor without the metadata stage (title from <title>)."""
    from pipeline.body import extract_body
    from pipeline.parse import parse_html

    try:
        tree = parse_html(html.decode("utf-8", "replace"))
        return extract_body(tree, url, title=tree.findtext(".//title")).text
    except ExtractionError:
        return ""


def trafilatura_extractor() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(html: bytes, url: str) -> str:
        return trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False) or ""

    return run


def readability_extractor() -> Extractor | None:
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None

    def run(html: bytes, url: str) -> str:
        try:
            summary = Document(html.decode("utf-8", "replace")).summary(html_partial=True)
            return str(lxml.html.fromstring(summary).text_content())
        except Exception:  # readability raises bare Exceptions on odd pages
            return ""

    return run


WARMUP_PAGES = 3


def time_rounds(
    extractors: dict[str, Extractor], pages: list[Page], rounds: int
) -> dict[str, float]:
    """Pages/s of CPU time per extractor, each running over all pages in turn, ``rounds``
    times, alternating (A B C A B C ...)."""
    elapsed = dict.fromkeys(extractors, 0.0)
    for _ in range(rounds):
        for name, fn in extractors.items():
            start = time.process_time()
            for page in pages:
                fn(page.html, page.url)
            elapsed[name] += time.process_time() - start
    return {
        name: len(pages) * rounds / seconds if seconds > 0 else float("inf")
        for name, seconds in elapsed.items()
    }


def run_extractors(
    extractors: dict[str, Extractor], pages: list[Page], rounds: int = 3
) -> list[Run]:
    """Run every extractor on each page in turn, timing each call in CPU seconds.

    Interleaving page by page means a change in machine load during the run slows all
    extractors alike, so the speed ratios stay comparable. A short warm-up per extractor
    (model loading) is not timed.
    """
    for fn in extractors.values():
        for page in pages[:WARMUP_PAGES]:
            fn(page.html, page.url)
    outputs: dict[str, dict[str, str]] = {name: {} for name in extractors}
    elapsed = dict.fromkeys(extractors, 0.0)
    for page in pages:
        for name, fn in extractors.items():
            start = time.process_time()
            outputs[name][page.id] = fn(page.html, page.url)
            elapsed[name] += time.process_time() - start
    blocked = time_rounds(extractors, pages, rounds) if rounds > 0 else {}
    runs = []
    for name in extractors:
        scores = {p.id: score_page(outputs[name][p.id], p.truth) for p in pages}
        seconds = elapsed[name]
        interleaved = len(pages) / seconds if seconds > 0 else float("inf")
        speed = blocked.get(name, interleaved)
        runs.append(
            Run(name, summarize(scores.values()), speed, interleaved, outputs[name], scores)
        )
    return runs


def _short(line: str, width: int = 110) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def short_diff(predicted: str, truth: str, limit: int = 3) -> list[str]:
    """Paragraphs present on one side only (first few of each), normalized for spaces."""
    norm = lambda s: " ".join(s.split())  # noqa: E731
    pred = [norm(p) for p in predicted.split("\n") if p.strip()]
    true = [norm(p) for p in truth.split("\n") if p.strip()]
    pred_set, true_set = set(pred), set(true)
    extra = [p for p in pred if p not in true_set][:limit]
    missing = [p for p in true if p not in pred_set][:limit]
    return [f"  + {_short(p)}" for p in extra] + [f"  - {_short(p)}" for p in missing]


def print_parse_cost(pages: list[Page]) -> None:
    """How much of a page's time is parsing: warta's parse_html vs lxml's parser alone."""
    import lxml.html

    from pipeline.parse import parse_html

    texts = [page.html.decode("utf-8", "replace") for page in pages]
    timings = {}
    for name, parse in (("parse_html", parse_html), ("lxml alone", lxml.html.document_fromstring)):
        start = time.process_time()
        for text in texts:
            with contextlib.suppress(ExtractionError):
                parse(text)
        timings[name] = (time.process_time() - start) / len(texts) * 1000
    print(
        f"parse cost: pipeline.parse.parse_html {timings['parse_html']:.2f} ms/page, "
        f"lxml.html.document_fromstring alone {timings['lxml alone']:.2f} ms/page"
    )


def print_run(run: Run, baseline: Run | None) -> None:
    s = run.summary
    ratio = f"  x{run.pages_per_second / baseline.pages_per_second:.2f}" if baseline else ""
    interleaved = f"  (interleaved {run.interleaved_pages_per_second:.1f} pages/s"
    if baseline:
        share = run.interleaved_pages_per_second / baseline.interleaved_pages_per_second
        interleaved += f" x{share:.2f}"
    print(
        f"{run.name:<24} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"
        f"  exact {s.accuracy:.3f}  {run.pages_per_second:7.1f} pages/s{ratio}{interleaved})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--compare", action="store_true", help="also run trafilatura/readability")
    parser.add_argument("--worst", type=int, default=10, help="how many worst pages to list")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed rounds over all pages per extractor"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    pages = load_pages(args.dataset)
    if not pages:
        print(f"no pages under {args.dataset}/html", file=sys.stderr)
        return 2
    print(f"{len(pages)} pages from {args.dataset}")
    extractors: dict[str, Extractor] = {
        "warta extract()": warta_full,
        "warta body only": warta_body,
    }
    if args.compare:
        for name, factory in (
            ("trafilatura", trafilatura_extractor),
            ("readability-lxml", readability_extractor),
        ):
            fn = factory()
            if fn is None:
                print(f"{name} is not installed: skipped")
            else:
                extractors[name] = fn
    runs = run_extractors(extractors, pages, args.rounds)
    main_run = runs[0]
    baseline = next((r for r in runs if r.name == "trafilatura"), None)
    for run in runs:
        print_run(run, baseline)
    if baseline:
        print(
            f"(xN = pages/s relative to trafilatura in this run; pages/s: {args.rounds} rounds"
            " of each tool over all pages in turn; interleaved: page by page)"
        )
    print_parse_cost(pages)

    by_id = {p.id: p for p in pages}
    worst = sorted(main_run.scores.items(), key=lambda kv: kv[1].f1)[: args.worst]
    print(f"\n{len(worst)} worst pages for {main_run.name}:")
    for page_id, score in worst:
        page = by_id[page_id]
        print(
            f"{score.f1:.3f} P={score.precision or 0:.2f} R={score.recall or 0:.2f}"
            f" {page_id[:12]} {page.url}"
        )
        for line in short_diff(main_run.outputs[page_id], page.truth):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
