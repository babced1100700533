"""Benchmark (querying): build a synthetic database of news articles for the query benchmark.

Usage: python benchmarks/gen_articles.py DATABASE_URL [--count 100000] [--seed 7]

Articles are 60% English and 40% Indonesian; words are drawn with Zipf-like
frequencies (rank r has weight 1/r) from each language's function words and news
vocabulary, a shared AI-industry vocabulary, and a long tail of made-up words, so
document frequencies look like real news: a few words in almost every article, most
in very few. Two shared terms sit at known ranks so the benchmark can pick queries of
known frequency (see QUERIES). Rows go in with bulk inserts; the full-text index is
kept by the same triggers a crawl fires. Signatures for near-duplicate detection are
not computed (``Database.link_stories()`` would add them).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.database import Database
from storage.models import ArticleRow

ARTICLES: sa.Table = ArticleRow.__table__  # type: ignore[assignment]


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = {
    "en": _words(
        "the of and to a in is that for on with as it was by at from this be are has have "
        "said its an will not but which their they more were also been can after new would about "
        "one two first last year years company people could over than into percent"
    ),
    "id": _words(
        "yang dan di ini itu dengan untuk dari pada dalam tidak akan juga ke karena oleh "
        "adalah sebagai ada bisa telah sudah lebih para kata tahun mereka kami saat atau namun "
        "hingga menjadi baru satu dua perusahaan pemerintah"
    ),
}
NEWS_WORDS = {
    "en": _words(
        "market government report announced launch users service industry technology "
        "billion million research team countries policy rules investment startup founder "
        "customers product platform security privacy court lawsuit deal growth revenue"
    ),
    "id": _words(
        "pasar laporan layanan industri teknologi miliar juta riset tim negara kebijakan "
        "aturan investasi rintisan pendiri pelanggan produk platform keamanan privasi "
        "pengadilan gugatan kesepakatan pertumbuhan pendapatan pengguna menteri"
    ),
}
AI_WORDS = _words(
    "model data ai training chips gpu cloud openai agents inference benchmark weights "
    "parameters dataset compute nvidia chatbot robotics automation regulation safety "
    "alignment multimodal reasoning transformer fine-tuning open-source license api "
    "datacenter semiconductor export deepfake copyright hallucination evaluation"
)
# Query words at fixed ranks: "model data" are among the most frequent words (both in
# about half the articles: very common); the two below sit at rank ~1,600, each in
# under 2% of the articles (mid-frequency).
MID_WORDS = ("quantization", "tokenizer")
MID_RANK = 1500
QUERIES = {"mid": "quantization tokenizer", "common": "model data"}
TAIL_SIZE = 40_000
SYLLABLES = _words("ka ri to na me lu sa po de ga bi mo ra te ni ku la se jo wa pe di ro ma")
SOURCES = [f"source-{i:02d}" for i in range(24)]
AUTHORS = [f"{first} {last}" for first in ("Ann", "Budi", "Citra", "Dewi", "Eko", "Fay")
           for last in ("Lee", "Santoso", "Wijaya", "Moreau", "Kim", "Hartono")]  # fmt: skip
TAGS = ["ai", "chips", "policy", "startups", "research", "models", "robotics", "cloud"]


def _tail(rng: np.random.Generator) -> list[str]:
    words: set[str] = set()
    while len(words) < TAIL_SIZE:
        n = int(rng.integers(2, 5))
        words.add("".join(SYLLABLES[int(i)] for i in rng.integers(0, len(SYLLABLES), n)))
    tail = sorted(words)
    rng.shuffle(tail)
    for offset, word in enumerate(MID_WORDS):
        tail.insert(MID_RANK + offset, word)
    return tail


def vocabulary(lang: str, tail: list[str]) -> tuple[list[str], np.ndarray]:
    """Words by rank and their cumulative Zipf weights."""
    function = FUNCTION_WORDS[lang]
    # "model" and "data" at ranks 25 and 30: each in roughly two articles of three.
    head = function[:24] + AI_WORDS[:1] + function[24:28] + AI_WORDS[1:2] + function[28:]
    words = head + NEWS_WORDS[lang] + AI_WORDS[2:] + tail
    weights = 1.0 / np.arange(1, len(words) + 1)
    return words, np.cumsum(weights / weights.sum())


def generate(url: str, count: int, seed: int, batch: int = 2000) -> float:
    """Insert ``count`` articles into the database at ``url``; return seconds taken."""
    rng = np.random.default_rng(seed)
    tail = _tail(rng)
    vocab = {lang: vocabulary(lang, tail) for lang in ("en", "id")}
    start = datetime(2025, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    with Database.open(url) as db:
        for first in range(0, count, batch):
            rows = [_article(i, rng, vocab, start) for i in range(first, min(first + batch, count))]
            with db.engine.begin() as conn:
                conn.execute(sa.insert(ARTICLES), rows)
            print(f"\r{first + len(rows):,} articles", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        seconds = time.perf_counter() - started
        # Planner statistics, as autovacuum would leave them after a bulk load. Without them
        # the very common ranked query on PostgreSQL took 812 ms instead of 48 (autovacuum is
        # off on some servers, and it runs a minute or more after the load on the others).
        analyze = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(analyze))
    return seconds


def _article(
    i: int,
    rng: np.random.Generator,
    vocab: dict[str, tuple[list[str], np.ndarray]],
    start: datetime,
) -> dict[str, Any]:
    lang = "en" if rng.random() < 0.6 else "id"
    words, cumulative = vocab[lang]
    length = int(np.clip(rng.lognormal(5.8, 0.45), 60, 2500))  # median ~330 words
    picks = np.searchsorted(cumulative, rng.random(length + 10))
    tokens = [words[min(int(p), len(words) - 1)] for p in picks]
    title = " ".join(tokens[:10]).capitalize()
    paragraphs = [" ".join(tokens[10 + j : 10 + j + 60]) for j in range(0, length, 60)]
    text = "\n\n".join(p.capitalize() + "." for p in paragraphs if p)
    published = start + timedelta(minutes=int(rng.integers(0, 2 * 365 * 24 * 60)))
    source = SOURCES[int(rng.integers(0, len(SOURCES)))]
    url = f"https://{source}.example/{published:%Y/%m}/article-{i}"
    return {
        "canonical_url": url,
        "url": url,
        "source": source,
        "title": title,
        "text": text,
        "html": "".join(f"<p>{p}</p>" for p in text.split("\n\n")),
        "authors": [AUTHORS[int(rng.integers(0, len(AUTHORS)))]],
        "published_at": published,
        "language": lang,
        "site_name": source,
        "description": paragraphs[0][:160] if paragraphs else None,
        "tags": [TAGS[int(k)] for k in rng.choice(len(TAGS), 2, replace=False)],
        "word_count": length,
        "reading_time_minutes": max(1, length // 230),
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "version": 1,
        "first_seen_at": published + timedelta(hours=1),
        "fetched_at": published + timedelta(hours=1),
        "updated_at": published + timedelta(hours=1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    seconds = generate(args.database_url, args.count, args.seed)
    print(f"{args.count:,} articles in {seconds:.1f}s ({args.count / seconds:,.0f}/s)")


if __name__ == "__main__":
    main()
