"""The SKM survey webhook: a Flask application factory.

    app = create_app({"WEBHOOK_SECRET": "...", "DATABASE_URL": "sqlite:///kinerja.db",
                      "KINERJA_CONFIG": "kinerja.toml"})

Settings come from defaults, then the environment (KINERJA_WEBHOOK_SECRET,
KINERJA_DATABASE_URL), then `config`. The secret has no default: without one
the app refuses to start.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from sync.config import Config, ConfigError, load_config
from sync.surveys.store import SurveyStore

from . import forms
from .errors import MethodNotAllowed, MissingSecret, PayloadTooLarge, ServerError, UnknownForm, WebhookError
from .units import DEFAULT_TTL, UnitCache, read_location

__all__ = ["MissingSecret", "WebhookError", "create_app"]

MAX_BODY = 64 * 1024
MIN_SECRET_LENGTH = 16


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the webhook app.

    Args:
        config: overrides. `WEBHOOK_SECRET` (str), `DATABASE_URL` (str), `KINERJA_CONFIG` (a path
            to kinerja.toml or a `sync.config.Config`), `UNIT_CACHE_TTL` (seconds), `UNIT_READER`
            (location → units, for tests), `CLOCK` (→ Unix seconds, for tests), `CREATE_SCHEMA`
            (bool, default True) and any Flask setting.

    Raises:
        MissingSecret: no secret, or one shorter than 16 characters.
        sync.config.ConfigError: no kinerja.toml given, or it is missing or wrong.
    """
    app = Flask(__name__)
    app.config.from_mapping(
        WEBHOOK_SECRET=os.environ.get("KINERJA_WEBHOOK_SECRET"),
        DATABASE_URL=os.environ.get("KINERJA_DATABASE_URL"),
        KINERJA_CONFIG=None, UNIT_CACHE_TTL=DEFAULT_TTL, UNIT_READER=None, CLOCK=time.time,
        CREATE_SCHEMA=True, MAX_CONTENT_LENGTH=MAX_BODY,
    )
    if config:
        app.config.update(config)
    secret = app.config["WEBHOOK_SECRET"]
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        raise MissingSecret(
            f"KINERJA_WEBHOOK_SECRET belum diisi atau kurang dari {MIN_SECRET_LENGTH} karakter. Buat satu "
            "dengan: python -c \"import secrets; print(secrets.token_hex(32))\" dan pakai nilai yang sama "
            "di Script Properties formulir (KINERJA_SECRET).")
    settings = app.config["KINERJA_CONFIG"]
    if settings is None:
        raise ConfigError("Berkas konfigurasi belum diberikan: jalankan dengan --config kinerja.toml.")
    if not isinstance(settings, Config):
        settings = load_config(settings)
    store = SurveyStore(app.config["DATABASE_URL"])
    if app.config["CREATE_SCHEMA"]:
        store.create_schema()
    units = UnitCache(app.config["UNIT_CACHE_TTL"], app.config["UNIT_READER"] or read_location)
    app.extensions["kinerja"] = forms.WebhookState(
        settings, store, units, secret, app.config["CLOCK"], app.config["MAX_CONTENT_LENGTH"], {})
    app.register_blueprint(forms.bp)
    app.wsgi_app = forms.SkmEndpoint(app, app.wsgi_app, _http_mapped)  # POST /forms/skm without Flask
    app.register_error_handler(WebhookError, _webhook_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def _webhook_error(error: WebhookError):
    return jsonify(error.to_dict()), error.status_code


def _http_error(error: HTTPException):
    """Werkzeug's own errors (unknown path, wrong method, body too large) as JSON too."""
    return _webhook_error(_http_mapped(error))


def _http_mapped(error: HTTPException) -> WebhookError:
    if error.code == 413:
        mapped: WebhookError = PayloadTooLarge(f"Isi permintaan lebih dari {MAX_BODY // 1024} KiB.")
    elif error.code == 404:
        mapped = UnknownForm("Alamat tidak dikenal; kirim ke POST /forms/skm.", code="not_found")
    elif error.code == 405:
        mapped = MethodNotAllowed("Metode tidak diizinkan; kirim jawaban dengan POST.")
    else:
        mapped = WebhookError(error.description or "Permintaan tidak sah.", code="bad_request")
        mapped.status_code = error.code or 400
    return mapped


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):  # pragma: no cover - routed to _http_error first
        return _http_error(error)
    from flask import current_app

    current_app.logger.exception("unexpected error")
    return _webhook_error(ServerError("Kesalahan pada server; jawaban belum disimpan, kirim ulang nanti."))
