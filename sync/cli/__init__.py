"""The command line: click commands, the one error boundary, the terminal summaries."""

from sync.cli.main import cli

__all__ = ["cli"]
