"""`kinerja dokumen`: the evaluation documents of one period as PDFs, from any SOURCE."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sync import pipeline
from sync.cli import environment
from sync.sources import open_source


@click.command("dokumen")
@click.argument("source")
@click.option("--period", required=True, metavar="LABEL",
              help="The evaluation period (e.g. 2026-03, 2026-T1, 2026-S1, 2026).")
@click.option("--out", "out_dir", default="dokumen", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the PDFs into.")
@click.option("--nip", "nips", multiple=True, metavar="NIP",
              help="Only this employee (repeatable); no unit or agency recap then.")
@click.option("--unit", default=None, metavar="UNIT",
              help="Only this Unit Kerja (its employees and its page).")
def dokumen(source: str, period: str, out_dir: Path, nips: tuple[str, ...], unit: str | None):
    """Write the Evaluasi Kinerja Pegawai of every employee with a predikat in PERIOD, as PDFs ready to sign.

    One PDF per employee in OUT/<Unit Kerja>/<NIP> <Nama>.pdf, a recap per unit
    (OUT/<Unit Kerja>/Rekap <Unit Kerja>.pdf) and one for the agency
    (OUT/Rekap <Nama Instansi>.pdf). SOURCE is read and scored as by `kinerja
    score`, but nothing is written to it. Existing files are replaced atomically.

    \b
    Example:
        kinerja dokumen dinkes-2026.xlsx --period 2026-T1 --out dokumen/
        kinerja dokumen dinkes-2026.xlsx --period 2026-03 --nip 198503142010031002
    """
    from sync.documents import DocumentTexts, export_documents

    src = open_source(source, credentials_file=environment.current().credentials_file)
    evaluation = pipeline.evaluate(src.read(pipeline.INPUT_TAB_KEYS), src.location)
    evaluation.raise_if_invalid()
    settings, checked = evaluation.settings, evaluation.report.checked
    label = pipeline.parse_periods([period], settings.year, settings.period_type)[0]
    texts = DocumentTexts(place=checked.settings.get("signing_place") or "",
                          complaints=_unit_complaints(evaluation))
    with _Progress() as progress:
        written = export_documents(evaluation.frames, settings, evaluation.report.results, label, out_dir,
                                   texts, nips=list(nips) or None, unit=unit, progress=progress.update)
    kinds = {kind: sum(1 for w in written if w.kind == kind) for kind in ("employee", "unit", "agency")}
    click.echo(f"{len(written)} dokumen periode {label} ditulis ke {out_dir}: {kinds['employee']} pegawai, "
               f"{kinds['unit']} rekap unit, {kinds['agency']} rekap instansi.")


def _unit_complaints(evaluation):
    """Complaints per service unit and period, as the unit pages show them."""
    if evaluation.complaints is None:
        return None
    units = evaluation.complaints.units
    rows = units.loc[units["scope"] == "unit"]
    return rows.rename(columns={"service_unit": "unit"})


class _Progress:
    """A progress bar on a terminal; silence otherwise (cron)."""

    def __init__(self):
        self.bar = None

    def __enter__(self):
        return self

    def update(self, done: int, total: int, _document) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Menyusun dokumen", file=sys.stderr,
                                         show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

