"""WhatsApp's own ZIP export ("Export chat" → "Attach media"): the chat's .txt plus its media files.

The chat is the one .txt member whose lines are WhatsApp message lines (`_chat.txt` on iOS,
`WhatsApp Chat with Ann.txt` on Android; macOS `__MACOSX/` shadows ignored); it is read exactly as the
.txt alone would be (`whatsapp.parse`), under the member's name, or under the archive's name when the
member's says nothing of the chat ("WhatsApp Chat - Ann.zip" holding `_chat.txt`). Media are not read.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from pcrm.errors import BadRequest
from pcrm.formats import whatsapp
from pcrm.formats.base import Input, Options, Parsed

NAME = "whatsapp-zip"
SOURCE = "whatsapp"
LABEL = "a WhatsApp chat export ZIP"
MAX_MEMBER = 512 * 1024 * 1024  # the chat text; larger is no chat export


def _chat_member(zf: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    for info in zf.infolist():
        name = info.filename
        if name.startswith("__MACOSX/") or not name.lower().endswith(".txt") or info.file_size > MAX_MEMBER:
            continue
        with zf.open(info) as fh:
            head = fh.read(4096)
        if whatsapp.detect(Input(head.rsplit(b"\n", 1)[0] if b"\n" in head else head, "chat.txt")):
            return info
    return None


def detect(inp: Input) -> bool:
    if not inp.head.startswith(b"PK\x03\x04"):
        return False
    try:
        return _chat_member(zipfile.ZipFile(io.BytesIO(inp.data))) is not None
    except (zipfile.BadZipFile, EOFError, zlib.error, RuntimeError):
        return False


def parse(inp: Input, opts: Options) -> Parsed:
    try:
        zf = zipfile.ZipFile(io.BytesIO(inp.data))
        info = _chat_member(zf)
        if info is None:
            raise BadRequest(
                f"{inp.filename} holds no WhatsApp chat .txt",
                hint="export the chat again from WhatsApp (⋮ → More → Export chat)",
            )
        data = zf.read(info)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise BadRequest(
            f"{inp.filename} is not a readable ZIP archive ({exc})",
            hint="download or copy the export again; the file may be incomplete",
        ) from None
    member = info.filename.rsplit("/", 1)[-1]
    name = member if whatsapp.chat_partner_from_filename(member) else inp.filename.rsplit(".", 1)[0] + ".txt"
    return whatsapp.parse(Input(data, name), opts)
