"""Google's OAuth token endpoint, faked: service-account JWTs in, bearer tokens out.

google-auth signs a JWT with the service account's private key and posts it to
https://oauth2.googleapis.com/token. The fake verifies the signature with the
public key it was given for that account, checks audience and scope, and hands
out a token it remembers, so the Sheets endpoints know who is calling.
"""

from __future__ import annotations

import base64
import collections
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

TOKEN_URL = "https://oauth2.googleapis.com/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"


class TokenEndpoint:
    """The token endpoint as a `responses` callback; `calls` and `log` are shared with the fake API."""

    def __init__(self, calls: collections.Counter, log: list[tuple[str, int]]):
        self.calls, self.log = calls, log
        self.accounts: dict[str, Any] = {}  # e-mail → RSA public key
        self.tokens: dict[str, str] = {}  # access token → e-mail

    def register(self, email: str, public_key: Any) -> None:
        """Accept JWTs signed by this service account's key."""
        self.accounts[email] = public_key

    def email(self, token: str) -> str | None:
        """Whose token this is (None for a token the fake did not issue)."""
        return self.tokens.get(token)

    def __call__(self, request) -> tuple[int, dict, str]:
        self.calls["token"] += 1
        raw = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
        status, body = self.grant({k: v[0] for k, v in parse_qs(raw).items()})
        self.log.append(("token", status))
        return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body)

    def grant(self, form: dict[str, str]) -> tuple[int, dict]:
        """Google's answer to one token request: a bearer token, or an OAuth error."""
        if form.get("grant_type") != JWT_GRANT:
            return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
        try:
            header, payload, signature = form["assertion"].split(".")
            claims = json.loads(_unb64(payload))
        except (KeyError, ValueError):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT."}
        key = self.accounts.get(claims.get("iss", ""))
        if key is None:
            return 400, {"error": "invalid_grant", "error_description": "Invalid grant: account not found"}
        try:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding

            key.verify(_unb64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(),
                       hashes.SHA256())
        except Exception:  # cryptography raises InvalidSignature; anything else is as bad
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        if claims.get("aud") != TOKEN_URL or SHEETS_SCOPE not in claims.get("scope", "").split():
            return 400, {"error": "invalid_scope", "error_description": "Invalid audience or scope."}
        token = f"ya29.fake-{len(self.tokens) + 1}"
        self.tokens[token] = claims["iss"]
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}


def make_service_account(path: Path, email: str = "kinerja@kinerja-test.iam.gserviceaccount.com",
                         endpoint: TokenEndpoint | None = None) -> Path:
    """Write a service-account JSON key to `path` (and register it with `endpoint`)."""
    from cryptography.hazmat.primitives import serialization

    key = _test_key()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "kinerja-test", "private_key_id": "0" * 40,
        "private_key": pem, "client_email": email, "client_id": "1" * 21, "token_uri": TOKEN_URL,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth"}))
    if endpoint is not None:
        endpoint.register(email, key.public_key())
    return path


_KEY: list = []


def _test_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not _KEY:  # one key per test run: generating RSA keys is slow
        _KEY.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEY[0]


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
