"""Mistakes on the command line, told in Indonesian.

click words them in English ("Missing argument 'SOURCE'.", "Try 'kinerja score -h' for
help."); a clerk who typed the command reads every other message of Kinerja in Indonesian.
The exceptions carry what went wrong (which parameter, which option, the close matches), so
the sentence is rebuilt from that, not by translating click's text; only a parameter type's
own reason ("… is not in the range 1<=x<=32.") is read from its words, for the types click
has. The exit code stays 2, as click's.
"""

from __future__ import annotations

import difflib
import re

import click

_PARAM_KIND = {"argument": "argumen", "option": "opsi", "parameter": "parameter"}

# A parameter type's reason in click's words -> the same in Indonesian.
_REASONS = [
    (re.compile(r"^(?P<value>.+) is not a valid "
                r"(?P<kind>integer range|float range|integer|float|boolean|UUID)\.?$", re.DOTALL),
     lambda m: f"{m['value']} bukan {_KINDS[m['kind']]}"),
    (re.compile(r"^(?P<value>.+) is not in the range (?P<range>.+?)\.?$", re.DOTALL),
     lambda m: f"{m['value']} di luar rentang {m['range']}"),
    (re.compile(r"^(?P<value>.+) is not one of (?P<choices>.+?)\.?$", re.DOTALL),
     lambda m: f"{m['value']} bukan salah satu dari {m['choices']}"),
    (re.compile(r"^(?P<value>.+) is not (?P<choice>'[^']*')\.?$", re.DOTALL),
     lambda m: f"{m['value']} bukan {m['choice']}"),
    (re.compile(r"^(?P<kind>File|Directory|Path) (?P<name>.+) does not exist\.?$", re.DOTALL),
     lambda m: f"{_PATHS[m['kind']]} {m['name']} tidak ada"),
    (re.compile(r"^(?P<kind>File|Directory|Path) (?P<name>.+) is a file\.?$", re.DOTALL),
     lambda m: f"{m['name']} adalah berkas, bukan folder"),
    (re.compile(r"^(?P<kind>File|Directory|Path) (?P<name>.+) is a directory\.?$", re.DOTALL),
     lambda m: f"{m['name']} adalah folder, bukan berkas"),
    (re.compile(r"^(?P<kind>File|Directory|Path) (?P<name>.+) "
                r"is not (?P<what>readable|writable|executable)\.?$", re.DOTALL),
     lambda m: f"{_PATHS[m['kind']]} {m['name']} tidak dapat {_ACCESS[m['what']]}"),
]
_KINDS = {"integer": "bilangan bulat", "integer range": "bilangan bulat", "float": "angka",
          "float range": "angka", "boolean": "ya/tidak", "UUID": "UUID yang sah"}
_PATHS = {"File": "berkas", "Directory": "folder", "Path": "jalur"}
_ACCESS = {"readable": "dibaca", "writable": "ditulis", "executable": "dijalankan"}
_EXTRA = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.DOTALL)
_NO_VALUE = re.compile(r"^Option (?P<name>'[^']+') does not take a value\.?$")
_NEEDS_VALUE = re.compile(r"^Option (?P<name>'[^']+') requires (an argument|(?P<n>\d+) arguments)\.?$")


class Refused(click.BadParameter):
    """A parameter's value refused by a check of ours, its reason already in Indonesian."""


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A click callback: refuse NaN, which passes every range check (no comparison holds for it)."""
    if value is not None and value != value:
        raise Refused("bukan angka", ctx=ctx, param=param)
    return value


class UsageFailure(click.UsageError):
    """A command-line mistake: "Galat: …", then how the command is used and where its help is."""

    def show(self, file=None) -> None:
        click.echo(f"Galat: {self.format_message()}", file=file, err=True)
        if self.ctx is not None:
            ctx = self.ctx
            pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
            click.echo(f"Cara pakai: {ctx.command_path} {pieces}".rstrip(), file=file, err=True)
            if ctx.help_option_names:
                click.echo(f"Bantuan: {ctx.command_path} {ctx.help_option_names[-1]}", file=file, err=True)


def indonesian(exc: click.UsageError, ctx: click.Context | None = None) -> click.UsageError:
    """`exc` as a `UsageFailure` in Indonesian; click's help screen (a group with no command) as it is.

    `ctx`: the command's context, for the usage line, when click did not attach one (an option
    given without its value is found before the command's context exists).
    """
    help_screen = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click 8.2 and later
    if isinstance(exc, UsageFailure) or (help_screen and isinstance(exc, help_screen)):
        return exc
    failure = UsageFailure(_sentence(exc), ctx=exc.ctx or ctx)
    failure.exit_code = exc.exit_code
    return failure


def _sentence(exc: click.UsageError) -> str:
    if isinstance(exc, click.MissingParameter):
        named = exc.param_type or (exc.param.param_type_name if exc.param else "")
        kind = _PARAM_KIND.get(named, "parameter")
        return f"{kind.capitalize()} {_hint(exc)} belum diisi."
    if isinstance(exc, Refused):
        return f"Nilai {_hint(exc)} tidak sah: {exc.message}."
    if isinstance(exc, click.BadParameter):
        reason = next((word(m) for pattern, word in _REASONS if (m := pattern.match(exc.message))),
                      "nilainya tidak sah")
        return f"Nilai {_hint(exc)} tidak sah: {reason}."
    if isinstance(exc, click.NoSuchOption):
        return f"Opsi {exc.option_name!r} tidak dikenal.{_did_you_mean(exc.possibilities)}"
    if m := re.match(r"^No such command '(?P<name>.*)'\.", exc.message):
        # suggested from every command, also those not imported yet (`KinerjaGroup.lazy_commands`)
        group = exc.ctx.command if exc.ctx is not None else None
        known = group.list_commands(exc.ctx) if isinstance(group, click.Group) else []
        close = difflib.get_close_matches(m["name"], known)
        return f"Perintah {m['name']!r} tidak dikenal.{_did_you_mean(close)}"
    if m := _NEEDS_VALUE.match(exc.message):
        count = f"{m['n']} nilai" if m["n"] else "nilai"
        return f"Opsi {m['name']} perlu {count} sesudahnya."
    if m := _NO_VALUE.match(exc.message):
        return f"Opsi {m['name']} tidak memakai nilai; tulis {m['name']} saja."
    if m := _EXTRA.match(exc.message):
        return f"Ada argumen yang tidak diharapkan: {m['args']}."
    if exc.message.startswith("Missing command"):
        return "Nama perintahnya belum ditulis."
    return "Perintahnya tidak dapat dipahami."


def _hint(exc: click.BadParameter) -> str:
    if exc.param_hint is not None:
        hints = [exc.param_hint] if isinstance(exc.param_hint, str) else list(exc.param_hint)
        return " / ".join(repr(h) if not h.startswith("'") else h for h in hints)
    if exc.param is not None:
        return exc.param.get_error_hint(exc.ctx) if exc.ctx is not None else repr(exc.param.name)
    return ""


def _did_you_mean(possibilities) -> str:
    if not possibilities:
        return ""
    return " Mungkin maksudnya: " + ", ".join(sorted(possibilities)) + "?"
