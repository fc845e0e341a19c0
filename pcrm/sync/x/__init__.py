"""X (Twitter) through the official API v2 with OAuth 2.0 PKCE [x-api]: `client.py` talks to X (the only
module that does), `source.py` is the adapter behind the source contract."""
