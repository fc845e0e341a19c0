"""MCP `get_contact` carries the values a contact keeps beside its own fields (`other_values`), as the CLI's
--json and GET /contacts/{id} do [other-values]: an agent asked for a vCard contact's address, role or
related people was told nothing of them, though `pcrm contacts show` lists them."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from tests.support.mcp import fenced, memory_session, text_of, untrusted_paths
from tests.support.paths import require_testdata

pytestmark = pytest.mark.anyio


async def test_get_contact_carries_the_kept_values_the_api_gives(demo: Any, cli: Any, imp: Any) -> None:
    imp(require_testdata() / "vcard" / "vcard4android__allfields-vcard3.vcf")
    api = cli.json("contacts", "show", "Ämi Display")["data"]  # the API's answer [one-envelope]
    async with memory_session() as client:
        schema = {t.name: t for t in (await client.list_tools()).tools}["get_contact"].output_schema
        r = await client.call_tool("get_contact", {"contact": "Ämi Display"})
    assert not r.is_error, text_of(r)
    got = r.structured_content
    jsonschema.validate(got, schema)
    # the API's rows, less the raw line an agent does not need
    assert got["other_values"] == [
        {k: o[k] for k in ("what", "value", "kind", "label")} for o in api["other_values"]
    ]
    shown = {(o["what"], o["value"]) for o in got["other_values"]}
    assert ("address (work,postal,parcel)", "6544 Battleford Drive, Raleigh, NC, 27613-3502, U.S.A.") in shown
    assert ("role", "Programmer") in shown and ("related (parent)", "muuum@example.com") in shown
    assert ("department", "North American Division, Marketing") in shown
    # text from the file: marked untrusted, and said only inside the fence
    assert {"other_values[].what", "other_values[].value", "other_values[].label"} <= untrusted_paths(schema)
    (body,) = [b for b in fenced(text_of(r)) if "Other values" in b]
    assert "- **chat (skype):** skype:echo@example.com" in body
    assert "- **date (Custom Date):** 2021-07-29" in body
