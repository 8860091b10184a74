"""Where errors become messages: the `kinerja` group class, used by every group of commands."""

from __future__ import annotations

import importlib
import sys

import click

from scoring import ScoringError
from sync.cli.usage import indonesian
from sync.errors import SyncError


class Failure(click.ClickException):
    """A command's end with one plain Indonesian line: "Galat: …", not click's English "Error: …"."""

    def show(self, file=None) -> None:
        click.echo(f"Galat: {self.format_message()}", file=file, err=True)


class KinerjaGroup(click.Group):
    """The one error boundary of every command, nested groups included.

    Errors a user can fix (`SyncError`, `ScoringError`) and a database that
    went away end the command with one plain line and exit code 1, never a
    traceback; anything else is a bug and keeps its traceback.
    """

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        """`lazy_commands`: name -> "module:attribute" of commands imported when first used, so
        that `kinerja score` does not import SQLAlchemy, the webhook or the document engine."""
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy_commands:
            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:  # the group's own options and arguments (`kinerja --tidak-ada`)
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise indonesian(exc, click.Context(self, info_name=info_name, parent=parent)) from None

    def _subcommand_context(self, ctx: click.Context) -> click.Context | None:
        """A context of the command being started, for the usage line of its mistakes."""
        name = ctx.invoked_subcommand
        command = self.get_command(ctx, name) if name else None
        return click.Context(command, info_name=name, parent=ctx) if command is not None else None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (SyncError, ScoringError) as exc:
            raise Failure(str(exc)) from None
        except click.UsageError as exc:
            raise indonesian(exc, self._subcommand_context(ctx)) from None  # with the usage line; exit 2
        except click.ClickException as exc:
            if isinstance(exc, Failure):
                raise
            raise Failure(exc.format_message()) from None
        except Exception as exc:
            if not _database_error(exc):
                raise
            reason = type(getattr(exc, "orig", None) or exc).__name__
            raise Failure(
                f"Basis data terputus atau menolak permintaan ({reason}); jalankan lagi. Pekerjaan yang "
                "sudah tercatat tidak diulang bila masukannya tidak berubah.") from None


def _database_error(exc: Exception) -> bool:
    """Whether `exc` is SQLAlchemy's: only a command that imported SQLAlchemy can raise one."""
    sqlalchemy = sys.modules.get("sqlalchemy")
    return sqlalchemy is not None and isinstance(exc, sqlalchemy.exc.SQLAlchemyError)
