"""Write output tabs into an .xlsx file by swapping parts inside its zip package.

Loading and re-saving a clerk's workbook with openpyxl drops what openpyxl does
not model (shapes, sparklines, slicers, x14 data validations). `replace_sheets`
replaces only the output tabs' parts; every other part comes out byte-identical
(design §7). Shared parts are edited with lxml, so their namespaces,
mc:Ignorable and extension lists survive. Only these parts may change:
[Content_Types].xml, the workbook part and its rels, the styles part, and each
output sheet's own parts (sheet xml, its rels, its drawing and charts).
"""

from __future__ import annotations

import re

from lxml import etree

from sheet_templates.results import CAPAIAN_IKI
from sync.outtabs import OutputTab
from sync.sources.excel.parts import Book, OutputTabBlocked, Package, drop_parts_only_used_by
from sync.sources.excel.sheet import begin_tab
from sync.sources.excel.styles import Styles
from sync.sources.excel.worksheet import forked

__all__ = ["OutputTabBlocked", "replace_sheets"]

_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")

# The tab `kinerja score` makes aside (`forked.AsideTab`), begun before the others in every write, so
# that its styles, names and parts come in the same order whether or not a child made it.
BEGUN_FIRST = CAPAIAN_IKI.label


def replace_sheets(original: bytes, tabs: list[OutputTab], fork: bool = True,
                   first: int | None = None) -> bytes:
    """Return `original` with each tab written as a worksheet, all else unchanged.

    A tab whose name (case-insensitively) matches an existing worksheet
    replaces that worksheet's part; any other tab is appended as a new sheet.
    Parts only the replaced sheets used (old drawings, charts, comments,
    tables) are removed. The result is deterministic: applying the same tabs to
    the output again yields byte-identical parts.

    Args:
        original: the bytes of the .xlsx file as read.
        tabs: the output tabs to write, in the order new sheets are appended. One may be a
            `forked.AsideTab`, whose sheet XML a child is making; it is begun first.
        fork: whether a child may make the biggest tab's XML meanwhile (`forked`).
        first: the tab begun before the others (an AsideTab's place when it is made here).

    Returns:
        The bytes of the new .xlsx file.

    Raises:
        WorkbookUnreadable: `original` is not a readable .xlsx package.
        OutputTabBlocked: a tab's name belongs to a chart sheet or similar.
        ValueError: a tab is malformed (bad name, row longer than its columns).
    """
    _check_tabs(tabs)
    pkg = Package(original)
    book = Book(pkg)
    found = [book.find_sheet(tab.name) for tab in tabs]
    replaced = [sheet for sheet in found if sheet is not None]
    drop_parts_only_used_by(pkg, {sheet.part for sheet in replaced})
    book.drop_calc_chain_for({sheet.sheet_id for sheet in replaced})
    styles = Styles(pkg, book)
    # New sheets first, then drawings and charts: a rerun, which removes and re-adds
    # only the latter, then lists content types and parts in the same order.
    sheets = [sheet or book.add_sheet(tab.name) for tab, sheet in zip(tabs, found, strict=True)]
    # Every tab's other parts and styles first; then the sheet XML. The biggest tab's is begun at
    # once in a child (`forked`), so it is made while this process makes all the others. A tab
    # whose XML a child has been making since the scores were known (an AsideTab) is begun first,
    # as that child began it.
    aside = next((i for i, tab in enumerate(tabs) if isinstance(tab, forked.AsideTab)), first)
    if aside is None:  # the same order where nothing is made aside (`kinerja run`, elsewhere): the same file
        aside = next((i for i, tab in enumerate(tabs) if tab.name == BEGUN_FIRST), None)
    order = ([aside] if aside is not None else []) + [i for i in range(len(tabs)) if i != aside]
    makes, begun = {}, None
    for i in order:
        makes[i] = begin_tab(pkg, styles, tabs[i], sheets[i], book.epoch)
        if i == aside:
            begun = etree.tostring(styles.root)
    made_aside = any(isinstance(tab, forked.AsideTab) for tab in tabs)
    big = _biggest(tabs) if fork and not made_aside and forked.can_fork() else None
    child = forked.Aside(makes[big], styles.root) if big is not None else None
    for i in order:
        if i != big and not isinstance(tabs[i], forked.AsideTab):
            pkg.parts[sheets[i].part] = makes[i]()
    if child is not None:
        made = child.result()
        if made is None:  # rare (see `forked`): all again in order, so the styles come out the same
            return replace_sheets(original, tabs, fork=False)
        pkg.parts[sheets[big].part] = made
    if aside is not None and isinstance(tabs[aside], forked.AsideTab):
        made = tabs[aside].child.result() if tabs[aside].child is not None else None
        if not (isinstance(made, forked.Made) and made.styles == begun
                and made.selected == sheets[aside].selected):
            # the child failed, or its tab would not be this file's: rendered and made here, begun first
            resolved = [tab.resolve() if i == aside else tab for i, tab in enumerate(tabs)]
            return replace_sheets(original, resolved, fork=False, first=aside)
        pkg.parts[sheets[aside].part] = made.part
    return pkg.to_bytes()


def made_first(original: bytes, tab: OutputTab) -> forked.Made | None:
    """`tab`'s sheet XML as `replace_sheets` makes it when `tab` is begun before the others (the
    child of an `AsideTab`); None when making it added a style, which the writer would not have."""
    pkg = Package(original)
    book = Book(pkg)
    found = book.find_sheet(tab.name)
    styles = Styles(pkg, book)
    sheet = found or book.add_sheet(tab.name)
    make = begin_tab(pkg, styles, tab, sheet, book.epoch)
    begun = etree.tostring(styles.root)
    part = make()
    return forked.Made(part, begun, sheet.selected) if etree.tostring(styles.root) == begun else None


def _biggest(tabs: list[OutputTab]) -> int | None:
    """The tab whose sheet XML is made in a forked child (`forked`): the one with the most
    cells, when it has FORK_CELLS or more and there is another tab to make meanwhile."""
    cells = [len(tab.rows) * len(tab.columns) for tab in tabs]
    if len(tabs) < 2 or max(cells) < forked.FORK_CELLS:
        return None
    return cells.index(max(cells))


def _check_tabs(tabs: list[OutputTab]) -> None:
    seen = set()
    for tab in tabs:
        name = tab.name
        if not _valid_sheet_name(name):
            raise ValueError(f"invalid Excel sheet name: {name!r}")
        if name.casefold() in seen:
            raise ValueError(f"duplicate output tab: {name!r}")
        seen.add(name.casefold())
        for spec in tab.charts:
            if not all(0 <= c < len(tab.columns) for c in (spec.category_column,
                                                           *spec.series_columns)):
                raise ValueError(f"chart {spec.title!r} refers to a column {name!r} lacks")


def _valid_sheet_name(name: str) -> bool:
    return (0 < len(name) <= 31 and not _BAD_SHEET_NAME.search(name)
            and not name.startswith("'") and not name.endswith("'")
            and name.casefold() != "history")  # Excel reserves "History"

