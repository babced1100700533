"""Application shell: ``python -m warta`` runs the CLI."""

from warta.cli import main

if __name__ == "__main__":
    main(prog_name="warta")
