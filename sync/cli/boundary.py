"""Where errors become messages: the `kinerja` group class, used by every group of commands."""

from __future__ import annotations

import click
import sqlalchemy as sa

from scoring import ScoringError
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

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (SyncError, ScoringError) as exc:
            raise Failure(str(exc)) from None
        except click.UsageError:
            raise  # click's own wording about the command line: its usage line follows
        except click.ClickException as exc:
            if isinstance(exc, Failure):
                raise
            raise Failure(exc.format_message()) from None
        except sa.exc.SQLAlchemyError as exc:
            reason = type(getattr(exc, "orig", None) or exc).__name__
            raise Failure(
                f"Basis data terputus atau menolak permintaan ({reason}); jalankan lagi. Pekerjaan yang "
                "sudah tercatat tidak diulang bila masukannya tidak berubah.") from None
