"""`pcrm import FILE --format json`: restore a `pcrm export json` file into an empty store [lossless-export]
[automatic-backups].

A format of the registry whose `restore` takes over from the engine; the restore itself lives beside
the writer of the same JSON in `services/exports.py`.
"""

from __future__ import annotations

from typing import NoReturn

from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Options
from pcrm.services.context import Context, Result
from pcrm.services.exports import restore_json

NAME = "json"
SOURCE = "json"
LABEL = "a pcrm JSON export"


def detect(inp: Input) -> bool:
    head = inp.head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"format":"pcrm-export"' in inp.head.replace(b" ", b"")


def parse(inp: Input, opts: Options) -> NoReturn:
    raise NotImplementedError("json is restored, not parsed")


def restore(ctx: Context, inp: Input, opts: Options) -> Result:
    if opts.dry_run:
        raise BadRequest(
            "a JSON restore has no dry run", hint="restore into an empty PCRM_HOME to look at it first"
        )
    return restore_json(ctx, inp.data, inp.filename)
