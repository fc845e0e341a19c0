"""Avatars and organization logos as the daemon serves them at `/static/avatars/NAME` [static-avatars].

Only a plain file directly inside PCRM_HOME/avatars is served: a name with a slash, a backslash, a NUL or a
leading dot is refused (no path traversal), and so is a symbolic link. The content type comes from the
file's first bytes, never from its name or from what a remote server said; anything that is not a known
raster image is served as an attachment of type application/octet-stream, so a hostile SVG or HTML file
saved as a logo cannot run script in the daemon's origin.
"""

from __future__ import annotations

import os
import stat

from pcrm import paths
from pcrm.errors import NotFound

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
