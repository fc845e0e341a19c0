"""Reading members out of a ZIP archive without trusting it [zip-limits].

A ZIP's headers can lie and a small one can inflate to gigabytes (a 1.7 MB LinkedIn ZIP once ended in
MemoryError). Members are read in chunks, counting what actually comes out rather than what the header
claims; the archive is refused with a clear error when the members pcrm reads add up to more than
MAX_TOTAL bytes, or one inflates more than MAX_RATIO times its compressed size."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable

from pcrm.errors import BadRequest

MAX_TOTAL = 256 * 1024 * 1024  # uncompressed bytes pcrm reads out of one archive
MAX_RATIO = 100  # text compresses 5-20 times; a bomb, hundreds to thousands
_SLACK = 64 * 1024  # tiny members (a 1 KB file of one repeated byte) may exceed the ratio harmlessly
_CHUNK = 1 << 20


def names(data: bytes) -> list[str]:
    """The member names, or [] when `data` is not a readable ZIP."""
    try:
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return []


def read_members(
    data: bytes, filename: str, wanted: Callable[[str], str | None], *, hint: str
) -> dict[str, tuple[str, bytes]]:
    """{key: (member name, bytes)} for each member whose name `wanted` maps to a key (the first one of
    each key). Raises BadRequest when the archive is unreadable or over the limits."""
    found: dict[str, tuple[str, bytes]] = {}
    total = 0
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        for info in zf.infolist():
            key = wanted(info.filename)
            if key is None or key in found or info.is_dir():
                continue
            budget = max(info.compress_size, 1) * MAX_RATIO + _SLACK
            parts: list[bytes] = []
            size = 0
            with zf.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if total + size > MAX_TOTAL:
                        raise BadRequest(
                            f"{filename}: the files pcrm reads from it unpack to more than "
                            f"{MAX_TOTAL >> 20} MB; refused as a possible ZIP bomb",
                            hint=hint,
                            details={"member": info.filename, "limit_bytes": MAX_TOTAL},
                        )
                    if size > budget:
                        raise BadRequest(
                            f"{filename}: {info.filename} unpacks to more than {MAX_RATIO} times its "
                            "packed size; refused as a possible ZIP bomb",
                            hint=hint,
                            details={"member": info.filename, "max_ratio": MAX_RATIO},
                        )
                    parts.append(chunk)
            total += size
            found[key] = (info.filename.rsplit("/", 1)[-1], b"".join(parts))
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, ValueError) as exc:
        raise BadRequest(
            f"{filename} is not a readable ZIP archive ({exc})",
            hint="download it again; the file may be incomplete",
        ) from None
    return found
