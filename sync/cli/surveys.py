"""`kinerja serve` and `kinerja surveys flush|reconcile`: the webhook and its store from the shell.

Registered in the `kinerja` group by sync.cli.main (imported when first used, see
`KinerjaGroup.lazy_commands`); also runnable alone as
`python -m sync.cli.surveys serve ...`. The environment (KINERJA_WEBHOOK_SECRET,
KINERJA_DATABASE_URL) comes from `environment`.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from sync import database
from sync.cli import environment
from sync.cli.boundary import KinerjaGroup
from sync.cli.usage import finite
from sync.config import load_config
from sync.surveys.schedule import FlushSchedule
from sync.surveys.store import SurveyStore

CONFIG_OPTION = click.option(
    "--config", "config_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The Pemda's kinerja.toml (sources and their forms).")


def _store() -> SurveyStore:
    """The store named by KINERJA_DATABASE_URL, its table created if missing."""
    import sqlalchemy.exc

    url = environment.current().database_url
    store = SurveyStore(url)
    try:
        store.create_schema()
    except sqlalchemy.exc.SQLAlchemyError as exc:
        store.dispose()
        raise database.DatabaseUnavailable(database.database_problem(url, exc)) from None
    return store


@click.command()
@CONFIG_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--workers", default=None, type=click.IntRange(1, 64), show_default="twice the cores",
              help="Worker processes (each listens on its own socket; the kernel spreads connections).")
@click.option("--threads", default=16, show_default=True, type=click.IntRange(1, 256),
              help="Threads per worker (requests waiting for the disk share one commit).")
@click.option("--access-log", is_flag=True, help="Log every request to stdout.")
def serve(config_path: Path, host: str, port: int, workers: int | None, threads: int, access_log: bool):
    """Receive signed SKM survey answers on POST /forms/skm (gunicorn, several workers).

    Needs KINERJA_WEBHOOK_SECRET (the secret shared with the form's Apps Script).
    Answers are committed to KINERJA_DATABASE_URL (default: SQLite file
    ./kinerja.db; postgresql://... for PostgreSQL) before the reply, then
    written to the workbooks by `kinerja surveys flush`.

    \b
    Example:
        export KINERJA_WEBHOOK_SECRET=$(python -c "import secrets; print(secrets.token_hex(32))")
        kinerja serve --config kinerja.toml --host 0.0.0.0 --port 8080
    """
    from webhook import MissingSecret, create_app
    from webhook.server import port_in_use, server_options
    from webhook.server import serve as run_server

    env = environment.current()
    config = load_config(config_path)
    database.check_url(env.database_url)
    settings = {"WEBHOOK_SECRET": env.webhook_secret, "KINERJA_CONFIG": config, "CREATE_SCHEMA": False}
    try:
        create_app({**settings, "DATABASE_URL": env.database_url})  # fails fast
    except MissingSecret as exc:
        raise click.ClickException(str(exc)) from None
    host = host.strip().removeprefix("[").removesuffix("]")  # "[::1]" as in a URL
    try:
        taken = port_in_use(host, port)
    except PermissionError:
        raise click.ClickException(f"Port {port} di bawah 1024 hanya boleh dipakai root; pakai port 1024 ke "
                                   "atas (mis. 8080) di belakang reverse proxy.") from None
    except OSError as exc:
        raise click.ClickException(f"Tidak dapat mendengarkan di {host}:{port} ({exc.strerror}); periksa "
                                   "--host (alamat mesin ini, 127.0.0.1 atau 0.0.0.0).") from None
    if taken:
        raise click.ClickException(f"Port {port} di {host} sudah dipakai program lain (mungkin kinerja serve "
                                   "yang masih berjalan); hentikan program itu atau pilih --port lain.")
    store = _store()  # the table is created once, in the master, so workers never race to create it
    store.dispose()  # no connection may be inherited by the forked workers
    forms = sum(len(s.forms) for s in config.sources)
    click.echo(f"Menerima jawaban SKM di http://{host}:{port}/forms/skm untuk {forms} formulir "
               f"({len(config.sources)} sumber); penyimpanan: {database.shown_url(store.url)}.", err=True)
    # Complaints must reach the supervisor within minutes with no cron job: this process flushes itself.
    schedule = FlushSchedule(functools.partial(_scheduled_flush, config, store.url, env.credentials_file),
                             config.flush_interval).start()
    try:
        run_server(lambda: create_app({**settings, "DATABASE_URL": store.url}),
                   server_options(host, port, workers, threads, access_log))
    finally:
        schedule.stop(timeout=5)


def _scheduled_flush(config, url: str, credentials_file: str | None) -> None:
    """One round of `kinerja serve`'s own flush: every source with waiting answers, under its claim."""
    import logging

    from sync.sources import open_source
    from sync.surveys.flush import flush as run_flush

    store = SurveyStore(url)
    claims = _claims(store, note="serve")
    try:
        opener = functools.partial(open_source, credentials_file=credentials_file)
        for result in run_flush(store, config, claims=claims, opener=opener):
            text, failed = _flush_line(result)
            logging.getLogger("kinerja.flush").log(logging.WARNING if failed else logging.INFO, text)
    finally:
        claims.engine.dispose()
        store.dispose()


@click.group(cls=KinerjaGroup)
def surveys():
    """SKM answers held by the webhook's store: write them to workbooks, recover missed ones.

    \b
    Example:
        kinerja surveys flush --config kinerja.toml
    """


WAIT_OPTION = click.option(
    "--wait", default=60.0, show_default=True, type=click.FloatRange(0, 3600), metavar="SECONDS",
    callback=finite,
    help="How long to wait, in all, for workbooks that `kinerja run` (or another flush) is writing; "
         "after that they are skipped and their answers wait for the next flush.")


def _claims(store: SurveyStore, note: str = "surveys"):
    """Claims on sources in the store's database, the ones `kinerja run` takes."""
    import socket

    from sync.claims import SourceClaims

    return SourceClaims(database.open_engine(store.url), f"{socket.gethostname()}:{os.getpid()} ({note})")


def _flush_line(result) -> tuple[str, bool]:
    """One line about a source's flush, and whether it goes to stderr (a failure)."""
    if result.error:
        return f"{result.source}: GAGAL, {result.error}", True
    if result.busy:
        return (f"{result.source}: dilewati, workbook sedang diproses oleh {result.busy}; jawabannya "
                "ditulis pada flush berikutnya."), False
    return (f"{result.source}: {result.appended} jawaban ditambahkan ke tab Survei"
            + (f" ({result.already_present} sudah ada)" if result.already_present else "")
            + (f"; tab Pengaduan diperbarui ({result.complaints} pengaduan)" if result.complaints else "")
            + "."), False


@surveys.command()
@CONFIG_OPTION
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Only this source (repeatable). Default: every source with waiting answers.")
@WAIT_OPTION
def flush(config_path: Path, sources: tuple[str, ...], wait: float):
    """Append stored, not yet written answers to each workbook's Survei tab (one write per workbook).

    Answers are marked written only after the workbook was saved; answers whose
    ID Respons is already in the tab are not added again. A workbook is written
    only while no `kinerja run` is processing it (the same claim in the store).

    \b
    Example:
        kinerja surveys flush --config kinerja.toml
        kinerja surveys flush --config kinerja.toml --source dinkes
    """
    from sync.surveys.flush import flush as run_flush

    config = load_config(config_path)
    store = _store()
    claims = _claims(store)
    try:
        results = run_flush(store, config, list(sources) or None, claims=claims, wait=wait)
    finally:
        claims.engine.dispose()
    if not results:
        click.echo("Tidak ada jawaban survei yang menunggu.")
    for result in results:
        text, failed = _flush_line(result)
        click.echo(text, err=failed)
    sys.exit(1 if any(r.error for r in results) else 0)


@surveys.command()
@click.argument("source")
@CONFIG_OPTION
@click.option("--responses", "responses_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The form's responses exported from Google Forms (.csv or .xlsx).")
@click.option("--form", "form_id", default=None, help="The form id, when SOURCE has several forms.")
@click.option("--month-first", is_flag=True, help="Read 03/04/2026 as March 4 (default: 3 April).")
@WAIT_OPTION
def reconcile(source: str, config_path: Path, responses_path: Path, form_id: str | None, month_first: bool,
              wait: float):
    """Add answers the webhook missed, from the form's exported responses, then flush SOURCE.

    SOURCE is a source name from kinerja.toml. Answers already stored are
    recognised (same answers, same second) and not added twice; running it
    again adds nothing.

    \b
    Example:
        kinerja surveys reconcile dinkes --config kinerja.toml --responses "SKM Dinkes.csv"
    """
    from sync.surveys.reconcile import reconcile as run_reconcile

    config = load_config(config_path)
    store = _store()
    claims = _claims(store)
    try:
        result = run_reconcile(store, config, source, responses_path, form_id=form_id,
                               day_first=not month_first, claims=claims, wait=wait)
    finally:
        claims.engine.dispose()
    click.echo(f"{source}: {result.rows} baris dibaca, {result.added} jawaban baru disimpan, "
               f"{result.already_stored} sudah ada.")
    if result.ignored_columns:
        click.echo("Kolom diabaikan: " + ", ".join(result.ignored_columns))
    for row, message in result.errors:
        click.echo(f"  Baris {row}: {message}", err=True)
    flushed = result.flushed
    if flushed is not None:
        text, failed = _flush_line(flushed)
        click.echo(text, err=failed)
    sys.exit(1 if result.errors or (flushed is not None and flushed.error) else 0)


@click.group(cls=KinerjaGroup)
def _standalone():
    """Kinerja webhook commands (normally `kinerja serve` / `kinerja surveys`)."""


_standalone.add_command(serve)
_standalone.add_command(surveys)

if __name__ == "__main__":
    _standalone()
