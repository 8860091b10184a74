"""The `kinerja` command: a thin click layer over the library.

Every command calls one library function; `KinerjaGroup` is the one place
where errors become messages, and `environment` the one place the
environment is read.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from sync.cli import environment
from sync.cli.boundary import KinerjaGroup
from sync.memory import limit_malloc_arenas

# The pipeline (pandas) is imported by the commands that run it, not with the group: `kinerja run`
# starts its workers' fork server first (issue 17). The console script imports it up front for
# the other commands (`sync.cli.entry`).


def opener():
    """`open_source` with this invocation's Google credentials."""
    from sync.sources import open_source

    env = environment.current()
    return functools.partial(open_source, credentials_file=env.credentials_file)


# Commands with their own modules, imported when used (see `KinerjaGroup`).
_COMMANDS = {"provision": "sync.cli.gsheets:provision", "serve": "sync.cli.surveys:serve",
             "surveys": "sync.cli.surveys:surveys", "run": "sync.cli.run:run",
             "history": "sync.cli.run:history", "dokumen": "sync.cli.documents:dokumen",
             "kehadiran": "sync.cli.attendance:attendance"}


@click.group(cls=KinerjaGroup, lazy_commands=_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kinerja")
def cli():
    """Kinerja: ASN performance evaluation inside the agency's own workbook.

    \b
    Start here:
        kinerja demo            # sample workbook, scored, no credentials needed
        kinerja template opd.xlsx
        kinerja score opd.xlsx
    """
    limit_malloc_arenas()  # before any thread: the 1 GB of issue 17


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--instansi", "org_name", default=None, help="Prefill Nama Instansi in Pengaturan.")
@click.option("--tahun", "year", type=int, default=None, help="Prefill Tahun Penilaian.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def template(out: Path, org_name, year, force):
    """Write a blank workbook template (Petunjuk, dropdowns, output tabs) to OUT.

    \b
    Example:
        kinerja template dinkes-2026.xlsx --instansi "Dinas Kesehatan" --tahun 2026
    """
    from sheet_templates.xlsx import build_template

    if out.exists() and not force:
        raise click.ClickException(
            f"'{out}' sudah ada. Pilih nama lain atau tambahkan --force untuk menimpanya.")
    settings = {k: v for k, v in (("org_name", org_name), ("year", year)) if v is not None}
    build_template(out, settings=settings)
    click.echo(f"Templat kosong ditulis ke {out}. Buka tab Petunjuk untuk cara mengisinya.")


@cli.command()
@click.argument("source")
@click.option("--daftar-lengkap", "full_list", is_flag=False, flag_value="", default=None, metavar="[CSV]",
              help="Also write every problem, uncapped, to a CSV (default: beside the workbook, "
                   "NAME.validasi.csv). Validasi itself shows at most 50 per rule and column.")
def check(source, full_list):
    """Read and validate SOURCE; write every problem to its Validasi tab.

    Exits 1 when there is at least one Galat (a row that cannot be scored), or
    when Validasi could not be written (the findings are still printed).

    \b
    Example:
        kinerja check dinkes-2026.xlsx
        kinerja check dinkes-2026.xlsx --daftar-lengkap
    """
    from sync import pipeline, render
    from sync.cli import summary

    report = pipeline.check(opener()(source))
    click.echo(summary.check_summary(report))
    if full_list is not None:
        path = Path(full_list) if full_list else _beside(source, ".validasi.csv")
        render.write_validation_csv(report.checked.issues, path)
        click.echo(f"Daftar lengkap {len(report.checked.issues)} masalah ditulis ke {path}.")
    if report.write_error:
        click.echo(f"Tab Validasi tidak ditulis: {report.write_error}", err=True)
    sys.exit(0 if report.ok else 1)


def _beside(source: str, suffix: str) -> Path:
    path = Path(source)
    return path.with_name(path.stem + suffix) if path.suffix else Path("validasi" + suffix)


@cli.command()
@click.argument("source")
@click.option("--period", "periods", multiple=True, metavar="LABEL",
              help="Score only this evaluation period (e.g. 2026-03, 2026-T1); repeatable. "
                   "Default: every period that has data.")
def score(source, periods):
    """Validate SOURCE, score it and write Hasil, Peringkat, Rekap Unit, IKM and Validasi.

    \b
    Example:
        kinerja score dinkes-2026.xlsx --period 2026-03
    """
    from sync import pipeline
    from sync.cli import summary

    report = pipeline.score(opener()(source), list(periods) or None)
    click.echo(summary.score_summary(report))


@cli.command()
@click.argument("directory", required=False, default="kinerja-demo",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed of the sample data.")
def demo(directory: Path, seed: int):
    """Write a realistic sample workbook into DIRECTORY, score it, and show the results.

    Three agencies' units, 45 employees with supervisors, a year of monthly
    realisation, 360° behaviour feedback and citizen surveys. No credentials needed.

    \b
    Example:
        kinerja demo /tmp/kinerja-demo
    """
    from sync import pipeline
    from sync.cli import summary
    from sync.demo.sample import write_demo_workbook

    directory.mkdir(parents=True, exist_ok=True)
    path = write_demo_workbook(directory / "kinerja-demo.xlsx", seed=seed)
    report = pipeline.score(opener()(str(path)))
    click.echo(summary.score_summary(report, top=True))
    click.echo(f"\nBuka {path.resolve()} dan lihat tab {', '.join(report.written[:-1])} dan "
               f"{report.written[-1]}.\nDokumen evaluasi untuk ditandatangani: kinerja dokumen "
               f"{path} --period {report.periods[-1]}")
