"""`pcrm import FILE --format json`: restore a `pcrm export json` file into an empty store [lossless-export]
[automatic-backups].

A format of the registry whose `restore` takes over from the engine; the restore itself lives beside
the writer of the same JSON in `services/exports.py`.
"""

from __future__ import annotations

from typing import NoReturn

from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options
from pcrm.formats.textio import json_head, json_utf8
from pcrm.services.context import Context, Result
from pcrm.services.exports import restore_json

NAME = "json"
SOURCE = "json"
LABEL = "a pcrm JSON export"


def detect(inp: Input) -> bool:
    head = json_head(inp.head)  # UTF-16/32 too (a file re-saved by an editor)
    return head.lstrip(b" \t\r\n").startswith(b"{") and b'"format":"pcrm-export"' in head.replace(b" ", b"")


def parse(inp: Input, opts: Options) -> NoReturn:
    raise NotImplementedError("json is restored, not parsed")


def restore(ctx: Context, inp: Input, opts: Options) -> Result:
    if opts.dry_run:
        raise BadRequest(
            "a JSON restore has no dry run", hint="restore into an empty PCRM_HOME to look at it first"
        )
    return restore_json(ctx, json_utf8(inp.data, inp.filename), inp.filename)
