"""Avatars and organization logos as the daemon serves them at `/static/avatars/NAME` [static-avatars].

Only a plain file directly inside PCRM_HOME/avatars is served: a name with a slash, a backslash, a NUL or a
leading dot is refused (no path traversal), and so is a symbolic link. The content type comes from the
file's first bytes, never from its name or from what a remote server said; anything that is not a known
raster image is served as an attachment of type application/octet-stream, so a hostile SVG or HTML file
saved as a logo cannot run script in the daemon's origin.

A browser's `<img src>` cannot send a bearer token, so the daemon's answers carry each local avatar URL with
a signature for that one file (`?sig=EXPIRES.MAC`), which opens it without a token for 6 to 12 hours
[avatar-links].
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import stat
from datetime import datetime

from pcrm import clock, paths
from pcrm.errors import NotFound, Unauthorized

MAX_BYTES = 10_000_000
_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"BM", "image/bmp"),
)
SAFE_TYPES = frozenset(t for _, t in _TYPES) | {"image/webp"}


def content_type(head: bytes) -> str:
    for magic, kind in _TYPES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


def read(name: str) -> tuple[bytes, str]:
    """(bytes, content type) of the avatar file `name`; NotFound for a refused name or a missing file."""
    missing = NotFound("no such avatar", hint="avatars are listed in contacts' avatar_url")
    path = paths.avatar_path(paths.AVATAR_URL_PREFIX + name)
    if path is None:
        raise missing
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        raise missing from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            raise missing
        body = f.read(MAX_BYTES + 1)
    return body, content_type(body[:16])


# -- signed links [avatar-links] -----------------------------------------------------------------------------

LINK_WINDOW_S = 6 * 3600  # a link stays the same for this long (browser caches) and opens the file for 2x
_EXPIRES = re.compile(r"[0-9]{1,12}")
_LINK_HINT = (
    "read the contact (or organization) again for a fresh avatar_url, or send `Authorization: Bearer TOKEN`"
)


@functools.lru_cache(maxsize=4)
def _link_key(secret: str) -> bytes:
    """A key for avatar links only, derived from the daemon's signing secret: a link is no JWT, nor the
    other way round."""
    return hmac.new(secret.encode(), b"pcrm avatar links", hashlib.sha256).digest()


def _mac(name: str, expires: int) -> str:
    from pcrm.services.auth import jwt_secret

    return hmac.new(_link_key(jwt_secret()), f"{name}\n{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def link_signature(name: str, now: datetime | None = None) -> str:
    """`EXPIRES.MAC` for the avatar file `name`: it expires at the end of the window after the current one,
    so the same link is handed out for a whole window and is good for 6 to 12 hours."""
    t = int((now or clock.now()).timestamp())
    expires = (t // LINK_WINDOW_S + 2) * LINK_WINDOW_S
    return f"{expires}.{_mac(name, expires)}"


def check_link(name: str, sig: str, now: datetime | None = None) -> None:
    """Nothing when `sig` opens the avatar file `name` now; 401 naming what is wrong otherwise."""
    expires_text, _, mac = sig.partition(".")
    # ASCII digits only, and few of them: str.isdigit also takes "²", which int() refuses, as it refuses
    # more than 4,300 digits
    if not _EXPIRES.fullmatch(expires_text) or not hmac.compare_digest(
        mac.encode(), _mac(name, int(expires_text)).encode()
    ):
        raise Unauthorized("the avatar link's signature is not valid for this file", hint=_LINK_HINT)
    if int(expires_text) <= (now or clock.now()).timestamp():
        raise Unauthorized("the avatar link has expired", hint=_LINK_HINT)
