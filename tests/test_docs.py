"""Documentation: every CLI command is described in the README (as sqlite-utils does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from warta.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: str = "warta") -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(path)
    return paths


@pytest.mark.parametrize("command", _command_paths(main))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert command in README, f"README does not mention `{command}`"


def test_readme_opens_with_the_two_commands() -> None:
    head = README[: README.index("## What you get")]
    assert "make demo" in head and "make test" in head
