"""/auth: the local account [local-account] and connecting platforms [not-yet-built]."""

from __future__ import annotations

from typing import Any

from starlette.responses import HTMLResponse

from pcrm.api import schemas as s
from pcrm.api.declare import Call, Param, op, svc
from pcrm.api.schemas import telegram as tg
from pcrm.api.schemas import whatsapp as wa
from pcrm.api.schemas import x as xs
from pcrm.services import auth, google, telegram, whatsapp, x

T = "auth"
TELEGRAM = "Telegram login"


async def google_return(request: Any, call: Call) -> Any:
    """Where Google sends the browser after consent [google-oauth]: a small page saying what happened (errors
    are the usual envelope). Public: the state, created by an authenticated GET /auth/google/url, is the
    credential; the code is never logged (the access log names the path only)."""
    q = call.query
    result = await request.app.state.pcrm.run(
        lambda ctx: google.google_return(ctx, q.get("code"), q.get("state"), q.get("error"))
    )
    from html import escape

    email = escape(result.data["email"])
    return HTMLResponse(
        f"<!doctype html><meta charset=utf-8><title>pcrm</title><p>pcrm is connected to {email}. "
        "You can close this tab.</p>",
        headers={"Cache-Control": "no-store"},
    )


# what Google adds to the redirect besides code and state
_RETURN_QUERY = tuple(
    Param(name, description=desc, secret=name == "code")
    for name, desc in (
        ("code", "The authorization code (never logged)."),
        ("state", "The state GET /auth/google/url returned."),
        ("error", "Set when the user refused consent."),
        ("scope", "The scopes granted."),
        ("authuser", "Google's account index."),
        ("prompt", "Google's prompt."),
        ("hd", "The hosted domain."),
        ("iss", "The issuer."),
    )
)


async def x_return(request: Any, call: Call) -> Any:
    """Where X sends the browser after consent [x-api]: a small page saying what happened (errors are the
    usual envelope). Public: the state, made by an authenticated GET /auth/twitter/url, is the credential;
    the code is never logged."""
    q, rt = call.query, request.app.state.pcrm
    # the code exchange waits on X off the writer lane; only the write runs in it [prepare-off-lane]
    user = await rt.prepare(lambda ctx: x.return_exchange(ctx, q.get("code"), q.get("state"), q.get("error")))
    result = await rt.run(lambda ctx: x.twitter_return(ctx, prepared=user))
    from html import escape

    user = escape(str(result.data["username"]))
    return HTMLResponse(
        f"<!doctype html><meta charset=utf-8><title>pcrm</title><p>pcrm is connected to X as @{user}. "
        "You can close this tab.</p>",
        headers={"Cache-Control": "no-store"},
    )


_X_RETURN_QUERY = (
    Param("code", description="The authorization code (never logged).", secret=True),
    Param("state", description="The state GET /auth/twitter/url returned."),
    Param("error", description="Set when the user refused consent."),
    Param("error_description", description="X's explanation of the error."),
)

OPS = [
    op(
        "POST",
        "/auth/register",
        "Register a new account with email and password",
        T,
        public=True,
        status=201,
        call=svc(auth.register, body=True),
        body=s.RegisterIn,
        response=s.Registered,
    ),
    op(
        "POST",
        "/auth/login",
        "Login with email and password",
        T,
        public=True,
        rate_limit="login",
        form=True,
        call=svc(auth.login, body=True),
        body=s.LoginIn,
        response=s.TokenOut,
        description="JSON {email, password, remember_me} or the OAuth2 password form (username, password). "
        "remember_me makes the token last 30 days instead of 24 hours.",
    ),
    op(
        "GET",
        "/auth/me",
        "Current authenticated user",
        T,
        call=svc(auth.me, principal=True),
        response=s.Profile,
    ),
    op(
        "PUT",
        "/auth/me",
        "Update profile fields",
        T,
        call=svc(auth.update_me, body=True, principal=True),
        body=s.ProfileIn,
        response=s.Updated,
    ),
    op(
        "DELETE",
        "/auth/me",
        "Delete the authenticated account",
        T,
        call=svc(auth.delete_me, body=True, principal=True),
        body=s.DeleteAccountIn,
        response=s.AccountDeleted,
        description="[local-account]: needs a login (web) token and the password in the body (unlike the "
        "reference, whose web UI sends {}: that is a 422 on password saying what to send, nothing deleted). "
        "Takes a backup first, then wipes the store, avatars and secrets.",
    ),
    op(
        "POST",
        "/auth/change-password",
        "Change account password",
        T,
        call=svc(auth.change_password, body=True, principal=True),
        body=s.ChangePasswordIn,
        response=s.Changed,
    ),
    op(
        "GET",
        "/auth/google/url",
        "Google OAuth authorization URL",
        T,
        call=svc(google.auth_url, principal=True, base_url=True),
        response=s.GoogleUrl,
        description="[google-oauth]: {url, state}; the state lasts 10 minutes and is used once. 400 when the "
        "OAuth client is not configured (pcrm auth google --client-file).",
    ),
    op(
        "POST",
        "/auth/google/callback",
        "Google OAuth callback handler",
        T,
        call=svc(google.google_callback, body=True, principal=True),
        body=s.GoogleCallbackIn,
        response=s.GoogleConnected,
        description="{code, state} -> {connected, email, account_id}; 400 for an unknown or used state or a "
        "code Google refuses. Attaches the account to this store; never creates users.",
    ),
    op(
        "GET",
        "/auth/google/return",
        "Google OAuth redirect target (bound to a state from /auth/google/url)",
        T,
        raw=google_return,
        query=_RETURN_QUERY,
        public=True,
        pcrm=True,
        description="Google redirects the browser here; answers a short HTML page.",
    ),
    op(
        "GET",
        "/auth/google/accounts",
        "List connected Google accounts",
        T,
        call=svc(google.list_accounts),
        response=list[s.GoogleAccountRow],
    ),
    op(
        "DELETE",
        "/auth/google/accounts/{account_id}",
        "Remove a connected Google account",
        T,
        call=svc(google.delete_account),
        response=s.Deleted,
        description="Forgets the account and its token; what it synced stays. 400 for a malformed id.",
    ),
    op(
        "GET",
        "/auth/twitter/url",
        "Twitter OAuth authorization URL",
        T,
        call=svc(x.auth_url, principal=True, base_url=True),
        response=xs.XUrl,
        description="[x-api]: {url, state} (OAuth 2.0 PKCE, S256); the state lasts 10 minutes and is used "
        "once. 400 when the X client id is not configured (twitter.client_id or PCRM_X_CLIENT_ID).",
    ),
    op(
        "POST",
        "/auth/twitter/callback",
        "Twitter OAuth callback handler",
        T,
        call=svc(x.callback, body=True, principal=True, prepared=True),
        prepare=svc(x.exchange, body=True),  # the code exchange, off the writer lane [prepare-off-lane]
        body=xs.XCallbackIn,
        response=xs.XConnected,
        description="{code, state} -> {connected: true, username}; 400 for an unknown, used or expired state "
        "or a code X refuses. The tokens go to the secret store only.",
    ),
    op(
        "GET",
        "/auth/twitter/return",
        "X OAuth redirect target (bound to a state from /auth/twitter/url)",
        T,
        raw=x_return,
        query=_X_RETURN_QUERY,
        public=True,
        pcrm=True,
        description="[x-api]: X redirects the browser here; answers a short HTML page.",
    ),
    op(
        "DELETE",
        "/auth/twitter/disconnect",
        "Disconnect Twitter",
        T,
        call=svc(x.disconnect),
        response=xs.XDisconnected,
        description="Forgets the tokens, the username and the sync cursor; what was synced stays.",
    ),
    op(
        "POST",
        "/auth/telegram/connect",
        "Send OTP code to Telegram",
        T,
        call=svc(telegram.connect, body=True),
        body=tg.TelegramConnectIn,
        response=tg.TelegramCodeSent,
        extra_statuses=(429, 502),
        description="[telegram-login]: Telegram sends a login code. 502 with a readable message when the "
        "phone is invalid or the API id/hash are missing or refused; 429 during a flood wait.",
    ),
    op(
        "POST",
        "/auth/telegram/verify",
        "Verify the Telegram OTP code",
        T,
        call=svc(telegram.verify, body=True),
        body=tg.TelegramVerifyIn,
        response=tg.TelegramConnected,
        extra_statuses=(429,),
        description="{connected: true, username}, or {connected: false, requires_2fa: true}; 400 for a wrong "
        "or expired code.",
    ),
    op(
        "POST",
        "/auth/telegram/verify-2fa",
        "Submit Telegram 2FA password",
        T,
        call=svc(telegram.verify_2fa, body=True),
        body=tg.TelegramPasswordIn,
        response=tg.TelegramConnected,
        extra_statuses=(429,),
        description="400 with its own message for a wrong password.",
    ),
    op(
        "POST",
        "/auth/telegram/reset-session",
        "Wipe an existing Telegram session",
        T,
        call=svc(telegram.reset_session),
        response=tg.TelegramReset,
        description="Forgets the session and where syncs stopped; keeps the username.",
    ),
    op(
        "DELETE",
        "/auth/telegram/disconnect",
        "Disconnect Telegram",
        T,
        call=svc(telegram.disconnect),
        response=tg.TelegramDisconnected,
        description="Logs the session out at Telegram when it can; forgets session, username and cursor.",
    ),
    op(
        "POST",
        "/auth/whatsapp/connect",
        "Start a WhatsApp link-device flow",
        T,
        call=svc(whatsapp.connect),
        response=wa.WhatsAppConnect,
        extra_statuses=(502,),
        description="[whatsapp-sidecar]: starts the session at the sidecar; {status, qr}; 502 when the "
        "sidecar "
        "does not answer (the `whatsapp.sidecar_url` setting).",
    ),
    op(
        "GET",
        "/auth/whatsapp/qr",
        "Fetch the current WhatsApp QR payload",
        T,
        call=svc(whatsapp.qr),
        response=wa.WhatsAppQr,
        extra_statuses=(502,),
    ),
    op(
        "GET",
        "/auth/whatsapp/status",
        "WhatsApp session status",
        T,
        call=svc(whatsapp.status),
        response=wa.WhatsAppStatus,
        extra_statuses=(502,),
        description="The sidecar's status with what pcrm knows (connected, phone, last_synced_at). A "
        "sidecar that does not answer is status `unreachable` with meta {sidecar, problem, hint}; 502 when "
        "it answers wrongly.",
    ),
    op(
        "DELETE",
        "/auth/whatsapp/disconnect",
        "Tear down the WhatsApp session",
        T,
        call=svc(whatsapp.disconnect),
        response=wa.WhatsAppDisconnected,
        description="Ends the sidecar session (best effort) and clears connected, phone and last_synced_at.",
    ),
]
