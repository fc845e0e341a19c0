"""Google as three sources of the sync engine [google-sources]: Gmail (`gmail.py`), Google Contacts
(`contacts.py`) and Google Calendar (`calendar.py`), over every connected Google account.

`client.py` is the only module here that imports the Google libraries (lazily); the adapters read the
JSON the API answers and yield records. `connect` builds the client from the secret store: the refresh
tokens of the accounts (`google.refresh_tokens`, one JSON object `{email: token}`) and the OAuth client's
secret (`google.client_secret`; its id is the `google.client_id` setting).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pcrm.sync.base import SourceError

TOKENS = "google.refresh_tokens"
CLIENT_SECRET = "google.client_secret"


def connect(secrets: Mapping[str, str], settings: Mapping[str, Any]) -> Any:
    """The GoogleClient of every connected account (SourceError when the OAuth client is missing)."""
    from pcrm.sync.google.client import GoogleClient, parse_tokens

    client_id = settings.get("google.client_id")
    secret = secrets.get(CLIENT_SECRET)
    if not client_id or not secret:
        raise SourceError(
            "the Google OAuth client is not configured",
            hint="pcrm auth google --client-file client_secret.json (see the README's Google guide)",
        )
    tokens = parse_tokens(secrets.get(TOKENS))
    if not tokens:
        raise SourceError("no Google account is connected", hint="pcrm auth google")
    return GoogleClient.from_secrets(tokens, str(client_id), secret)
