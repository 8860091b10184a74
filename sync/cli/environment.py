"""The environment, read in one place: what the commands take from it, passed on as arguments.

Only the command line reads environment variables (the webhook's
`create_app` reads its own, as a Flask factory does); the library takes them
as arguments, so tests and other callers choose them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import click

from sync.config import DEFAULT_DATABASE_URL as DEFAULT_URL

DATABASE_VARIABLE = "KINERJA_DATABASE_URL"
SECRET_VARIABLE = "KINERJA_WEBHOOK_SECRET"
CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS"


@dataclass(frozen=True)
class Environment:
    """What the commands read from the environment."""

    database_url: str = DEFAULT_URL
    webhook_secret: str | None = None
    credentials_file: str | None = None

    @classmethod
    def from_mapping(cls, environ: Mapping[str, str]) -> Environment:
        return cls(database_url=environ.get(DATABASE_VARIABLE) or DEFAULT_URL,
                   webhook_secret=environ.get(SECRET_VARIABLE) or None,
                   credentials_file=environ.get(CREDENTIALS_VARIABLE) or None)


def current() -> Environment:
    """The environment of this invocation, read once and kept on the root click context."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Environment):
        root.obj = Environment.from_mapping(os.environ)
    return root.obj
