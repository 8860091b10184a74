"""Where errors become messages: the `kinerja` group class, used by every group of commands."""

from __future__ import annotations

import click
import sqlalchemy as sa

from scoring import ScoringError
from sync.errors import SyncError


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
            raise click.ClickException(str(exc)) from None
        except sa.exc.SQLAlchemyError as exc:
            reason = type(getattr(exc, "orig", None) or exc).__name__
            raise click.ClickException(
                f"Basis data terputus atau menolak permintaan ({reason}); jalankan lagi. Pekerjaan yang "
                "sudah tercatat tidak diulang bila masukannya tidak berubah.") from None
