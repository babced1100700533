"""Application shell (CLI): ``warta demo``, the bundled offline AI-news sites."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

import click

DEMO_HOST = "127.0.0.1"
# One fixed default port: article URLs include it, so the same port means the same articles.
DEMO_PORT = 8765


def demo_base_url(port: int) -> str:
    return f"http://{DEMO_HOST}:{port}"


@click.group()
def demo() -> None:
    """The offline demo: fictional AI-news sites served on 127.0.0.1.

    \b
    Example (try every command offline, the scheduler included):
        warta demo serve --port 8765 &
        warta demo config --port 8765 --every 60 > demo.toml
        WARTA_CONFIG=demo.toml warta crawl
    """


@demo.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEMO_PORT,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
def serve(port: int) -> None:
    """Serve the demo sites until Ctrl-C (or SIGTERM); prints the base URL first.

    \b
    Example:
        warta demo serve --port 8765
    """
    from warta.demo.server import serve as start_server

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, request_stop)
    server = start_server(port, host=DEMO_HOST)
    try:
        # stdout gets only the URL, so scripts can read it; the hint goes to stderr.
        click.echo(server.base_url)
        sys.stdout.flush()
        click.echo(
            f"Serving the demo sites; sources file: warta demo config --port {server.port}. "
            "Ctrl-C stops.",
            err=True,
        )
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        signal.signal(signal.SIGTERM, previous)


@demo.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEMO_PORT,
    show_default=True,
    help="Port the demo server listens on.",
)
@click.option(
    "--every",
    "every_seconds",
    type=click.IntRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Schedule every source at this interval (for trying `warta scheduler`).",
)
def config(port: int, every_seconds: int | None) -> None:
    """Print a sources file (TOML) pointing at a running `warta demo serve`.

    \b
    Example:
        warta demo config --port 8765 --every 10 > demo.toml
        WARTA_CONFIG=demo.toml warta sources
    """
    from warta.demo import config_text

    click.echo(config_text(demo_base_url(port), every_seconds=every_seconds), nl=False)
