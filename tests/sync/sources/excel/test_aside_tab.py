"""Capaian IKI made in a forked child from the moment the scores are known (issue 17): the file is
the one the parent alone makes with that tab begun first, whatever becomes of the child."""

from __future__ import annotations

import datetime as dt
import sys

import openpyxl
import pytest

from sync import pipeline
from sync.outtabs import OutputTab
from sync.sources.excel.package import made_first, replace_sheets
from sync.sources.excel.source import ExcelSource
from sync.sources.excel.worksheet import forked
from tests.sync.sources.excel.test_forked_sheet import SOURCE, big_tab, small_tab

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked only on Linux")

NOW = dt.datetime(2026, 12, 3, 8, 0)


def aside(tab: OutputTab, make=None) -> forked.AsideTab:
    """`tab` as the writer's `aside` returns it: its shape, and a child making its part."""
    return forked.AsideTab.of(tab, lambda: tab, forked.Aside(make or (lambda: made_first(SOURCE, tab)), None))


def test_the_childs_tab_is_the_tab_made_here_begun_first():
    tab = big_tab(500)
    with_child = replace_sheets(SOURCE, [small_tab(), aside(tab)])
    alone = replace_sheets(SOURCE, [small_tab(), tab], fork=False, first=1)
    assert with_child == alone
    # Capaian IKI is begun first in every write: the file of a write with no child is the same
    assert with_child == replace_sheets(SOURCE, [small_tab(), tab], fork=False)
    assert with_child == replace_sheets(SOURCE, [small_tab(), tab])  # the biggest tab forked instead


def _other_part():
    return made_first(SOURCE, big_tab(7)).part  # a part that is not this tab's: used, it would show


@pytest.mark.parametrize("answer", [
    lambda tab: None,  # the child failed
    lambda tab: forked.Made(_other_part(), b"<styleSheet/>", False),  # its styles are not this file's
    lambda tab: forked.Made(_other_part(), made_first(SOURCE, tab).styles, True),  # nor is its selection
])
def test_a_child_whose_part_could_differ_is_not_used(answer):
    tab = big_tab(300)
    written = replace_sheets(SOURCE, [small_tab(), aside(tab, lambda: answer(tab))])
    assert written == replace_sheets(SOURCE, [small_tab(), tab], fork=False, first=1)


def test_a_style_added_while_making_the_tab_makes_the_child_give_up():
    tab = big_tab(200, with_dates=True)  # a date in a general column gets its style on first use
    assert made_first(SOURCE, tab) is None
    written = replace_sheets(SOURCE, [small_tab(), aside(tab)])
    assert written == replace_sheets(SOURCE, [small_tab(), tab], fork=False, first=1)


def test_a_child_that_dies_leaves_the_parent_to_make_the_tab():
    tab = big_tab(200)

    def die():
        import os
        os._exit(3)

    written = replace_sheets(SOURCE, [small_tab(), aside(tab, die)])
    assert written == replace_sheets(SOURCE, [small_tab(), tab], fork=False, first=1)


def test_score_writes_the_same_file_with_or_without_the_childs_work(tmp_path, monkeypatch):
    from sync.demo.sample import write_demo_workbook

    demo = write_demo_workbook(tmp_path / "demo.xlsx", seed=11)
    paths = {k: tmp_path / f"{k}.xlsx" for k in ("child", "thrown", "usual")}
    for path in paths.values():
        path.write_bytes(demo.read_bytes())
    answers = []
    real = forked.Aside.result

    def kept(self):
        answers.append(real(self))
        return answers[-1]

    monkeypatch.setattr(forked.Aside, "result", kept)
    pipeline.score(ExcelSource(str(paths["child"])), now=NOW)
    assert [type(a).__name__ for a in answers] == ["Made"]  # Capaian IKI came from the child
    monkeypatch.setattr(forked.Aside, "result", lambda self: (real(self), None)[1])
    pipeline.score(ExcelSource(str(paths["thrown"])), now=NOW)
    monkeypatch.setattr(ExcelSource, "aside", lambda self, shape, make: None)
    pipeline.score(ExcelSource(str(paths["usual"])), now=NOW)
    assert paths["child"].read_bytes() == paths["thrown"].read_bytes()
    # rendered from the scores before TPP and complaints were added: the same tab as after them, and
    # the same file as where nothing is made aside (`kinerja run`, other systems)
    assert paths["child"].read_bytes() == paths["usual"].read_bytes()


def _children() -> list:
    import multiprocessing

    return [p for p in multiprocessing.active_children() if p.name == "kinerja-sheet"]


@pytest.mark.parametrize("where", ["after the fork", "at the write"])
def test_a_run_that_fails_after_the_fork_leaves_no_child_behind(tmp_path, monkeypatch, where):
    from sync.demo.sample import write_demo_workbook
    from sync.errors import SourceChanged
    from sync.render import pay as render_pay

    path = write_demo_workbook(tmp_path / "demo.xlsx", seed=12)  # its Capaian IKI part: over a pipe's 64 KB

    def fail(*args, **kwargs):
        raise SourceChanged("berubah")

    if where == "after the fork":
        monkeypatch.setattr(render_pay, "evaluate_pay", fail)
    else:
        monkeypatch.setattr(ExcelSource, "_before_write", fail)
    with pytest.raises(SourceChanged):
        pipeline.score(ExcelSource(str(path)), now=NOW)
    assert _children() == []


def test_a_child_whose_parent_stopped_listening_ends_instead_of_waiting_on_the_pipe():
    aside = forked.Aside(lambda: b"x" * 5_000_000, None)  # far more than a pipe holds
    aside._receive.close()  # the parent gives up on it (or dies)
    aside._process.join(timeout=20)
    alive = aside._process.is_alive()
    if alive:
        aside._process.kill()
    assert not alive


def cells(data: bytes) -> dict:
    """Every tab's cells as a reader sees them: value, number format, bold, fill, wrap."""
    import io
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the clerk's x14 dropdowns, which openpyxl does not read
        book = openpyxl.load_workbook(io.BytesIO(data))
    return {name: [[(c.value, c.number_format, c.font.b, c.fill.fgColor.rgb, c.alignment.wrap_text)
                     for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}
