"""``accord serve``: the HTTP API."""

from __future__ import annotations

import click

from accord.cli.context import CliContext, pass_cli


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@pass_cli
def serve(state: CliContext, host: str, port: int) -> None:
    """Serve the authenticated HTTP API (OpenAPI docs at /docs)."""
    # Imported here so every other command starts without loading the web stack.
    import uvicorn  # noqa: PLC0415

    from accord.api.app import create_app  # noqa: PLC0415

    uvicorn.run(create_app(state.settings), host=host, port=port)
