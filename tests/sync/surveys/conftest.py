"""The store on both databases, an agency workbook and its config: the webhook's fixtures, shared."""

from tests.webhook.conftest import app, client, config_path, database_url, store, workbook  # noqa: F401
