"""LinkedIn's data export ZIP ("Get a copy of your data"): Connections.csv, messages.csv, Profile.csv.

Profile.csv (and Email Addresses.csv) name the export's owner: returned as `Parsed.me` (the import fills
the `me` setting with it when that is empty), and used to tell sent from received messages in the same
run; Connections then messages import as one batch. Row errors name the member file.
"""

from __future__ import annotations

import dataclasses

from pcrm.domain.records import Me
from pcrm.errors import BadRequest
from pcrm.formats import archive, linkedin
from pcrm.formats.base import Input, Options, Parsed

NAME = "linkedin-zip"
SOURCE = "linkedin"
LABEL = "LinkedIn's data export ZIP"
_WANTED = ("connections.csv", "messages.csv", "profile.csv", "email addresses.csv")


def detect(inp: Input) -> bool:
    if not inp.head.startswith(b"PK\x03\x04") and inp.suffix != "zip":
        return False
    names = archive.names(inp.data)
    if not names:
        return inp.suffix == "zip"  # parse() explains what is wrong
    return any(n.rsplit("/", 1)[-1].lower() in ("connections.csv", "messages.csv") for n in names)


def _members(inp: Input) -> dict[str, tuple[str, bytes]]:
    def wanted(name: str) -> str | None:
        key = name.rsplit("/", 1)[-1].lower()
        return key if key in _WANTED else None

    return archive.read_members(
        inp.data, inp.filename, wanted, hint="unzip it and import the CSV files one by one"
    )


def _union(a: Me, b: Me) -> Me:
    """Both sets of your identities, each value once."""
    return Me(*(list(dict.fromkeys([*getattr(a, k), *getattr(b, k)])) for k in Me.KEYS))


def parse(inp: Input, opts: Options) -> Parsed:
    members = _members(inp)
    if "connections.csv" not in members and "messages.csv" not in members:
        raise BadRequest(
            f"{inp.filename} has no Connections.csv or messages.csv",
            hint="this does not look like LinkedIn's data export; request it under Settings → "
            "Data privacy → Get a copy of your data",
        )
    out = Parsed()
    if "profile.csv" in members:
        base, data = members["profile.csv"]
        emails = members.get("email addresses.csv")
        me = linkedin.parse_profile(Input(data, base), Input(emails[1], emails[0]) if emails else None)
        if me is not None:
            out.me = me
            if not opts.me_given:
                # the export's owner tells sent from received in messages.csv below, beside the names
                # `me` holds already (the caller's options stay as they were) [me-setting]
                opts = dataclasses.replace(opts, me=_union(opts.me, me))
    for key, fmt in (("connections.csv", linkedin.Connections), ("messages.csv", linkedin.Messages)):
        if key not in members:
            continue
        base, data = members[key]
        part = fmt.parse(Input(data, base), opts)
        part.errors = [f"{base}: {e}" for e in part.errors]
        for rec in part.contacts:
            rec.where = base
        for it in part.interactions:
            it.where = base
        out.extend(part)
    return out
