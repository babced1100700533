"""Pipeline tests: make the repository root importable ahead of ``tests/``.

Run as ``.venv/bin/pytest``, the root ``tests/conftest.py`` puts ``tests/`` on sys.path,
where ``tests/pipeline`` would shadow the real ``pipeline`` package as a namespace
package, and ``benchmarks/`` is not installed at all. Putting the repository root first
fixes both. (Redundant once pytest's ``pythonpath = ["."]`` is configured.)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
