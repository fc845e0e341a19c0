"""X (Twitter): connecting an account (OAuth 2.0 PKCE) and the extension's cookies [x-api]."""

from __future__ import annotations

from pydantic import Field

from pcrm.api.schemas.common import In, Out


class XUrl(Out):
    url: str = Field(description="X's consent page; it redirects to http://127.0.0.1:8798/callback.")
    state: str = Field(description="Valid 10 minutes, used once.")


class XCallbackIn(In):
    code: str = Field(max_length=4096)
    state: str = Field(max_length=256)


class XConnected(Out):
    connected: bool
    username: str | None = None


class XDisconnected(Out):
    disconnected: bool


class XCookiesIn(In):
    auth_token: str = Field(min_length=1, max_length=512, description="The x.com auth_token cookie.")
    ct0: str = Field(min_length=1, max_length=512, description="The x.com ct0 cookie.")
