# warta: two commands do everything on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit install clean bench-extract bench-crawl fuzz

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/warta crawl --demo
	$(BIN)/warta query --limit 5 --format table

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench-extract: $(STAMP)
	$(BIN)/python benchmarks/extraction.py $(or $(DATASET),../shared/eval/article-extraction-dev)

# crawl throughput against a local 5,000-page mirror (BENCH_CRAWL_ARGS="--pages 1000 --no-postgres")
bench-crawl: $(STAMP)
	$(BIN)/python benchmarks/crawl.py $(BENCH_CRAWL_ARGS)

# time-boxed atheris run of the extractor (FUZZ_SECONDS, default 60); crashes land in fuzz/crashes
fuzz: $(STAMP)
	$(BIN)/python fuzz/fuzz_extract.py $(or $(FUZZ_SECONDS),60)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
