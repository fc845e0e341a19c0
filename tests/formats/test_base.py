"""The format contract's own behaviour: Input decoding, Parsed.extend (how an archive's members join
one parse) and Me, the owner's identities as the `me` setting stores them."""

from __future__ import annotations

import pytest

from pcrm.domain.records import ContactRecord, Counterpart, InteractionRecord, Me
from pcrm.errors import BadRequest
from pcrm.formats.base import Input, Parsed


def test_input_text_is_decoded_once_and_names_the_file():
    inp = Input("Zoë".encode("cp1252"), "people.CSV")
    assert inp.text() == "Zoë" and inp.suffix == "csv"
    with pytest.raises(BadRequest) as exc:
        Input(b"PK\x03\x04\x00\x00", "archive.csv").text()
    assert exc.value.message.startswith("archive.csv line 1: this looks like a binary file")


def _it(contact: int | Counterpart) -> InteractionRecord:
    return InteractionRecord(
        row=1,
        contact=contact,
        platform="linkedin",
        direction="inbound",
        occurred_at="2026-01-01T00:00:00.000Z",
        raw_reference_id="r",
    )


def test_extend_shifts_contact_indexes_and_keeps_counterparts():
    first = Parsed(contacts=[ContactRecord(row=2, data={"full_name": "A"})], errors=["Row 3: x"])
    cp = Counterpart(name="C")
    second = Parsed(
        contacts=[ContactRecord(row=2, data={"full_name": "B"})],
        interactions=[_it(0), _it(cp)],
        errors=["Row 9: y"],
        interactions_skipped=2,
        me=Me(names=["Me"]),
    )
    first.extend(second)
    assert [it.contact for it in first.interactions] == [1, cp]
    assert first.errors == ["Row 3: x", "Row 9: y"]
    assert first.interactions_skipped == 2 and first.me == Me(names=["Me"])


def test_me_reads_and_writes_the_setting():
    assert Me.from_setting(None) == Me()
    me = Me.from_setting({"names": ["Ada"], "emails": None, "other": ["ignored"]})
    assert me == Me(names=["Ada"])
    assert me.as_setting() == {"names": ["Ada"], "emails": [], "phones": [], "handles": []}
