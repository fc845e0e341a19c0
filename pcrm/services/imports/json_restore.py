"""`pcrm import FILE --format json`: restore a `pcrm export json` file into an empty store [lossless-export]
[automatic-backups].

A format of the registry whose `restore` takes over from the engine; the restore itself lives beside
the writer of the same JSON in `services/exports.py`.
"""

from __future__ import annotations

import re
from typing import NoReturn

from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options
from pcrm.formats.textio import json_head, json_utf8
from pcrm.services.context import Context, Result
from pcrm.services.exports import listed_lines, restore_json

NAME = "json"
SOURCE = "json"
LABEL = "a pcrm JSON export"


def detect(inp: Input) -> bool:
    head = json_head(inp.head)  # UTF-16/32 too (a file re-saved by an editor)
    return head.lstrip(b" \t\r\n").startswith(b"{") and b'"format":"pcrm-export"' in head.replace(b" ", b"")


# the start of a pcrm list's `--format json` (the API envelope): its first item's pcrm id, or no item at all
_ENVELOPE = re.compile(rb'\{\s*"data"\s*:\s*\[')
_ITEM_ID = re.compile(rb'"id"\s*:\s*"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"')
_NO_ITEM = re.compile(rb'\{\s*"data"\s*:\s*\[\s*\]\s*,\s*"error"')


def listed(inp: Input) -> bool:
    """Whether the file is a pcrm list written with --format json (the envelope `{"data": [...` of items
    with pcrm ids) or nl (one object a line, the first with an `id`): not an import format, refused as
    such with or without --format json [list-csv]."""
    head = json_head(inp.head).lstrip(b" \t\r\n")
    if _ENVELOPE.match(head):
        return bool(_ITEM_ID.search(head) or _NO_ITEM.match(head))
    if not head.startswith(b"{"):
        return False
    first = inp.first_lines(1)
    return bool(first) and listed_lines(first[0].encode("utf-8"))


def parse(inp: Input, opts: Options) -> NoReturn:
    raise NotImplementedError("json is restored, not parsed")


def restore(ctx: Context, inp: Input, opts: Options) -> Result:
    if opts.dry_run:
        raise BadRequest(
            "a JSON restore has no dry run", hint="restore into an empty PCRM_HOME to look at it first"
        )
    return restore_json(ctx, json_utf8(inp.data, inp.filename), inp.filename)
