"""Errors the webhook answers with: one base class, each with its HTTP status and a JSON body.

The body is `{"error": <Indonesian message>, "code": <english_code>, "field": <field or absent>}`
so the Apps Script log tells the clerk what to fix and a machine can branch on `code`.
"""

from __future__ import annotations

from typing import Any


class WebhookError(Exception):
    """Base for every problem the webhook reports to the sender."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.field = field
        if code:
            self.code = code

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of the reply."""
        body: dict[str, Any] = {"error": str(self), "code": self.code}
        if self.field:
            body["field"] = self.field
        return body


class InvalidPayload(WebhookError):
    """400: the body is not the JSON of design.md §5 (the field is named)."""


class BadSignature(WebhookError):
    """401: missing, wrong or stale signature."""

    status_code = 401
    code = "bad_signature"


class UnknownForm(WebhookError):
    """404: no source in kinerja.toml lists this form id (or an unknown path)."""

    status_code = 404
    code = "unknown_form"


class MethodNotAllowed(WebhookError):
    """405: e.g. GET on /forms/skm."""

    status_code = 405
    code = "method_not_allowed"


class PayloadTooLarge(WebhookError):
    """413: the body is over the limit."""

    status_code = 413
    code = "payload_too_large"


class NotJson(WebhookError):
    """415: the body is not declared as application/json."""

    status_code = 415
    code = "not_json"


class MissingSecret(WebhookError):
    """The app cannot start without a (long enough) shared secret; raised by create_app."""

    status_code = 500
    code = "missing_secret"


class ServerError(WebhookError):
    """500: our fault; the sender should retry later."""

    status_code = 500
    code = "server_error"
