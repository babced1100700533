"""Fuzzing (extraction): feed the extractor arbitrary bytes with atheris (libFuzzer).

Usage: python fuzz/fuzz_extract.py [SECONDS]   (default 60; `make fuzz` runs it)

The property: `pipeline.extract` either returns an Article or raises ExtractionError, and
an Article it returns holds no control characters and no active markup in `html`. Any
other exception or a broken property is a crash: libFuzzer stops and writes the input to
fuzz/crashes/crash-<sha1>; turn it into a regression test under tests/hostile/.
Starts from the seed pages in fuzz/corpus/ and keeps the inputs it finds interesting in a
scratch copy, so the committed corpus stays small. atheris is not a project dependency:
`pip install atheris` (wheels for CPython 3.11 on Linux x86-64).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import atheris  # noqa: E402
import lxml.html  # noqa: E402

with atheris.instrument_imports(include=["pipeline"]):
    from pipeline.extract import extract
    from pipeline.types import ExtractionError

CONTENT_TYPES = (None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "style", "form", "base"})


def active_markup(html: str) -> str | None:
    """The first thing a browser would run in `html` (parsed, so escaped text is not one)."""
    if not html.strip():
        return None
    for el in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ACTIVE_TAGS:
            return f"<{el.tag}>"
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                return f"<{el.tag} {name}=...>"
            if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                return f"<{el.tag} {name}={value!r}>"
    return None


def check_one(data: bytes) -> None:
    """One fuzz input: the first byte picks a content type, the rest is the page."""
    if not data:
        return
    content_type = CONTENT_TYPES[data[0] % len(CONTENT_TYPES)]
    try:
        article = extract(data[1:], "https://example.com/news/a", content_type=content_type)
    except ExtractionError:
        return
    for name in ("title", "text", "description"):
        value = getattr(article, name) or ""
        if _CONTROL.search(value):
            raise AssertionError(f"control character in {name}: {value[:80]!r}")
    active = active_markup(article.html)
    if active:
        raise AssertionError(f"active markup in html: {active}")


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 60
    crashes = HERE / "crashes"
    crashes.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="warta-fuzz-") as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(HERE / "corpus", corpus)
        args = [
            sys.argv[0],
            f"-max_total_time={seconds}",
            "-max_len=65536",
            "-timeout=10",  # one input running longer than this is a hang: a finding too
            "-rss_limit_mb=2048",
            f"-artifact_prefix={crashes}/",
            str(corpus),
        ]
        atheris.Setup(args, check_one)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
