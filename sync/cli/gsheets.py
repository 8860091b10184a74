"""`kinerja provision`: the command-line face of `sync.sources.gsheets.provision`.

Registered in the CLI group by `sync.cli.main`; kept apart so that the Excel-only
commands never import gspread.
"""

from __future__ import annotations

import click

from sync.errors import SyncError


@click.command("provision")
@click.argument("source")
@click.option("--instansi", "org_name", default=None,
              help="Nama Instansi for Pengaturan (used only if that key is added).")
@click.option("--tahun", "year", type=int, default=None,
              help="Tahun Penilaian for Pengaturan (used only if that key is added).")
def provision(source: str, org_name: str | None, year: int | None):
    """Lay the Kinerja template onto the Google Sheet SOURCE (a URL or gsheet:KEY).

    Adds the missing tabs (Petunjuk, Pengaturan, input and output tabs), missing
    header cells and Pengaturan keys, dropdowns, frozen header rows and
    warning-only protection of the output tabs. Nothing already typed is changed
    or moved; running it again changes nothing. Needs GOOGLE_APPLICATION_CREDENTIALS
    (see docs/google-sheets.md) and the sheet shared with the service account.

    \b
    Example:
        kinerja provision https://docs.google.com/spreadsheets/d/KEY/edit
        kinerja provision gsheet:KEY --instansi "Dinas Kesehatan" --tahun 2026
    """
    from sync.sources.locations import looks_like_gsheet

    if not looks_like_gsheet(source):
        raise click.ClickException(
            f"'{source}' bukan Google Sheet. Untuk Excel, buat templat dengan: kinerja template OUT.xlsx")
    settings = {k: v for k, v in (("org_name", org_name), ("year", year)) if v is not None}
    try:
        from sync.sources.gsheets.provision import provision as provision_sheet
        from sync.sources.gsheets.source import open_gsheet

        source_ = open_gsheet(source)
        plan = provision_sheet(source_, settings)
    except SyncError as exc:  # one plain line, no traceback
        raise click.ClickException(str(exc)) from exc
    for line in plan.changes:
        click.echo(f"  {line}")
    for line in plan.notes:
        click.echo(f"  Catatan: {line}")
    if plan.requests:
        click.echo(f"{source_.location}: templat Kinerja dipasang ({len(plan.changes)} perubahan).")
    else:
        click.echo(f"{source_.location}: sudah sesuai templat Kinerja; tidak ada yang diubah.")
