"""The sheet XML of the biggest result tab made in a forked child, beside the other tabs (issue 17).

Making a tab's XML is Python work that holds the GIL; on the 10,000-employee benchmark the
Capaian IKI tab alone (600,000 rows) is about half of the write. A child made with fork
starts with the tab, its styles and its look already in memory (nothing is pickled on the
way in), makes and compresses that one part while the parent makes the others, and sends
back only the compressed bytes (`Deflated`, a few tens of MB). The file is the one the parent
alone makes, byte for byte.

The child's result is used only when it cannot differ from the parent's own: when making the
XML added no style (a date in a column not formatted as dates gets its style the first time
one is written, and the child's additions would be lost with it), and when the child ran to
the end. Otherwise `package.replace_sheets` does the whole write again without a child.

Fork is used only where it is safe and cheap: on Linux, with no other thread running in the
process (a thread holding a lock at the fork would leave the child stuck), and for a tab big
enough to pay for a process.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from lxml import etree

from sync.outtabs import OutputTab
from sync.sources.excel.zipwrite import Deflated

# Cells (rows x columns) from which a tab's XML is worth a child process: a fork of a 1 GB
# process costs some 20-40 ms, making a million cells' XML about 0.25 s.
FORK_CELLS = 1_000_000


def can_fork() -> bool:
    """Whether a child may be forked here and now."""
    return sys.platform == "linux" and threading.active_count() == 1


class Aside:
    """A part being made in a forked child; `result()` is its `Deflated`, or None when the parent
    must make it itself."""

    def __init__(self, make: Callable[[], object], styles_root: etree._Element | None):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(make, styles_root, send, self._receive),
                                        daemon=True, name="kinerja-sheet")
        self._process.start()
        send.close()  # the child's end: EOF here once the child is gone

    def result(self) -> object | None:
        """What `make` gave in the child (a `Deflated` when `styles_root` was given); None when the
        child failed, died, or (with `styles_root`) added a style."""
        try:
            answer = pickle.loads(self._receive.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            answer = None  # the child died (killed, out of memory): made here instead
        finally:
            self._receive.close()
            self._process.join()
        return answer

    def discard(self) -> None:
        """The part is not wanted (the run failed meanwhile): the child stopped, nothing left behind."""
        self._receive.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _child(make: Callable[[], object], styles_root: etree._Element | None, send, receive) -> None:
    """In the child: what `make` gives, or None when making it changed `styles_root` (or failed)."""
    # The parent's end, inherited by the fork, closed here: once the parent closes its own (or dies),
    # sending fails at once instead of waiting for ever on a full pipe.
    receive.close()
    try:
        before = etree.tostring(styles_root) if styles_root is not None else None
        part = make()
        answer = part if styles_root is None or etree.tostring(styles_root) == before else None
    except BaseException:  # noqa: B036 - whatever went wrong, the parent makes the part itself
        answer = None
    try:
        send.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        send.close()
        os._exit(0)  # nothing of the parent's (atexit, buffered output) runs twice


@dataclass
class AsideTab(OutputTab):
    """A result tab made whole in a forked child while this process goes on with the others
    (issue 17: Capaian IKI, 600,000 rows, is rendered and written beside TPP, complaints and the
    other tabs). Here it is the tab's shape (name, columns, no rows); `make_tab` renders it.

    The child makes the sheet XML as `package.replace_sheets` makes it when this tab is begun
    before the others, and sends it back with the styles part as that left it and whether the
    sheet is the selected one. The writer uses it only when its own styles part and sheet say the
    same after beginning the shape; otherwise it renders the tab itself (`resolve`), still begun
    first, so the file is the same either way.
    """

    make_tab: Callable[[], OutputTab] | None = None
    child: Aside | None = None

    @classmethod
    def of(cls, shape: OutputTab, make_tab: Callable[[], OutputTab], child: Aside | None) -> AsideTab:
        """`shape` (its rows left out) as the tab `make_tab` renders and `child` makes."""
        fields = {f.name: getattr(shape, f.name) for f in dataclasses.fields(OutputTab)} | {"rows": []}
        return cls(**fields, make_tab=make_tab, child=child)

    def resolve(self) -> OutputTab:
        """The whole tab, rendered here."""
        return self.make_tab()

    def discard(self) -> None:
        """Stop the child: its part will not be written."""
        if self.child is not None:
            self.child.discard()


def discard_aside(tabs) -> None:
    """Stop the children of the AsideTabs among `tabs` (a run that fails before or while writing)."""
    for tab in tabs:
        if isinstance(tab, AsideTab):
            tab.discard()


class Made(NamedTuple):
    """What the child of an `AsideTab` sends back."""

    part: Deflated
    styles: bytes  # the styles part once the tab was begun
    selected: bool
