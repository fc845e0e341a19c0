"""Apollo's people match endpoint [apollo-enrichment]: one `POST {base}/api/v1/people/match` with the key in
`x-api-key`, and what its answer means. It knows no SQL; pcrm/services/enrich.py maps the person onto a
contact through the ingest engine.

The base URL is the `enrichment.apollo_url` setting (tests point it at a fake on 127.0.0.1). Redirects are
not followed (the key would travel with them); an answer over 1 MB or slower than the timeout is refused.
"""

from __future__ import annotations

from typing import Any, Literal

from pcrm.sync.base import why_unanswered

TIMEOUT = 15.0
MAX_BYTES = 1_000_000
PATH = "/api/v1/people/match"

Kind = Literal["invalid_key", "rate_limited", "upstream", "network", "bad_answer"]


class ApolloError(Exception):
    """Apollo did not answer with a person or an honest no-match."""

    def __init__(self, message: str, kind: Kind, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


def request_body(email: str | None, linkedin_url: str | None) -> dict[str, Any]:
    """What is sent: the email when there is one (it takes precedence), else the LinkedIn URL."""
    body: dict[str, Any] = {"reveal_personal_emails": True}
    if email:
        body["email"] = email
    elif linkedin_url:
        body["linkedin_url"] = linkedin_url
    return body


def match(
    base_url: str, key: str, body: dict[str, Any], *, timeout: float = TIMEOUT, transport: Any = None
) -> dict[str, Any] | None:
    """The matched person (Apollo's `person` object), or None when Apollo knows nobody; ApolloError
    otherwise. `transport` is the tests' seam (an httpx transport)."""
    import httpx

    url = base_url.rstrip("/") + PATH
    try:
        headers = {"x-api-key": key, "Accept": "application/json", "Cache-Control": "no-cache"}
        with (
            httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as client,
            client.stream("POST", url, json=body, headers=headers) as r,
        ):
            raw = b""
            for chunk in r.iter_bytes():
                raw += chunk
                if len(raw) > MAX_BYTES:
                    raise ApolloError(f"Apollo's answer is larger than {MAX_BYTES} bytes", "bad_answer")
            status = r.status_code
    except httpx.HTTPError as e:
        why = why_unanswered(e, timeout)
        raise ApolloError(f"Apollo at {base_url.rstrip('/')} is not answering: {why}", "network") from None
    if status == 401 or status == 403:
        raise ApolloError("Apollo refused the API key", "invalid_key", status)
    if status == 429:
        raise ApolloError("Apollo's rate limit was reached", "rate_limited", status)
    if 300 <= status < 400:
        raise ApolloError(
            f"Apollo answered with a redirect ({status}); it is not followed", "upstream", status
        )
    if status == 404:
        return None
    if status >= 400:
        raise ApolloError(f"Apollo answered {status}", "upstream", status)
    import orjson

    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ApolloError("Apollo's answer is not JSON", "bad_answer", status) from None
    if not isinstance(data, dict):
        raise ApolloError("Apollo's answer is not a JSON object", "bad_answer", status)
    person = data.get("person")
    if person is None:
        return None
    if not isinstance(person, dict):
        raise ApolloError("Apollo's `person` is not an object", "bad_answer", status)
    return person
