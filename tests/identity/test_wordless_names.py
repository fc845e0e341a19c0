"""Names without a word [shared-keys]: a contact called by an emoji, a symbol or punctuation alone ("🙂",
"★", "—", "...") has a label the user chose, not a missing name. `pcrm import` of a file holding "🙂" and
"😀" on one phone, and `pcrm identity scan` over two such contacts, merged them as if both were nameless;
two labels written differently are now asked about (the shared key as the reason), never merged. The same
label written alike ("❤️" and "❤": one heart, the emoji selector aside) is one name, and a contact with no
name at all still joins a named one on a shared key. A part holding a number agrees only with the same
part ("Unit 100" and "Unit 200" were one name, the number read as a typo of a family name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)

# pairs sharing a key under two labels, or a label and a name, or two numbered names: each pair is asked
ASKED = [
    ("🙂", "😀", "TEL:+44 20 7946 0101", "phone", "+442079460101"),
    ("★", "—", "EMAIL:desk@labels.example", "email", "desk@labels.example"),
    ("...", "?", "TEL:+44 20 7946 0102", "phone", "+442079460102"),
    ("Ada Lovelace", "🦄", "EMAIL:ada@labels.example", "email", "ada@labels.example"),
    ("Unit 100", "Unit 200", "TEL:+44 20 7946 0103", "phone", "+442079460103"),
    ("Flat 1", "Flat 12", "EMAIL:flats@labels.example", "email", "flats@labels.example"),
    # a part starting with a number is a number too ("100A" and "100B" were one family name up to a slip)
    ("Unit 100A", "Unit 100B", "TEL:+44 20 7946 0106", "phone", "+442079460106"),
]
# one person each: the same label written alike, or a record without a name
JOINED = [
    ("❤️", "❤", "TEL:+44 20 7946 0104"),
    ("☂", "", "TEL:+44 20 7946 0105"),
]


def _card(name: str, key: str) -> str:
    fn = f"FN:{name}\r\n" if name else ""
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\n{fn}{key}\r\nEND:VCARD\r\n"


def _pairs(cli: Any) -> set[tuple[str, str, str, str]]:
    out = set()
    for m in cli.json("identity", "matches", *N)["data"]:
        a, b = sorted((m["contact_a"]["full_name"] or "", m["contact_b"]["full_name"] or ""))
        out.add((a, b, m["shared_key"]["key"], m["shared_key"]["value"]))
    return out


def _expected() -> set[tuple[str, str, str, str]]:
    return {(*sorted((a, b)), key, value) for a, b, _line, key, value in ASKED}  # type: ignore[misc]


def _names(cli: Any) -> list[str]:
    rows = cli.json("contacts", "list", "--page-size", "100", *N)["data"]
    return sorted(c["full_name"] or "" for c in rows)


def test_an_import_asks_about_two_labels_on_one_key_and_joins_one_label(
    cli: Any, imp: Any, tmp_path: Path
) -> None:
    cards = [_card(a, line) + _card(b, line) for a, b, line, _k, _v in ASKED]
    cards += [_card(a, line) + _card(b, line) for a, b, line in JOINED]
    path = tmp_path / "labels.vcf"
    path.write_text("".join(cards), encoding="utf-8", newline="")
    report = imp(path)["data"]
    assert report["contacts_created"] == 2 * len(ASKED) + len(JOINED), report
    assert _pairs(cli) == _expected()
    names = _names(cli)
    assert names.count("❤️") + names.count("❤") == 1 and names.count("☂") == 1 and "" not in names
    # the scan finds nothing more to merge among them
    assert cli.json("identity", "scan", *N)["data"]["auto_merged"] == 0


async def test_a_scan_asks_about_two_labels_on_one_key_never_merges_them(empty_twin: Any) -> None:
    """Contacts added by hand: a phone is accepted on both, an email is one contact's (the other's notes
    name it, which tier 1 links as it links a shared email); the scan through the CLI and the API alike."""
    twin = empty_twin
    for a, b, line, _k, _v in [*ASKED, *((a, b, line, "", "") for a, b, line in JOINED)]:
        kind, value = line.split(":", 1)
        for name in (a, b):
            if kind == "TEL":
                key = ["--phone", value]
            else:
                key = ["--email", value] if name == a else ["--notes", f"write to {value}"]
            twin.cli.json("contacts", "add", *(["--name", name] if name else []), *key, *N)
    r = await twin.parity(["identity", "scan", *N], "POST", "/api/v1/identity/scan")
    assert r.json()["meta"]["deterministic_merged"] == len(JOINED), r.json()
    assert r.json()["data"]["pending_review"] == len(ASKED)
    keys = {"phone": "phone", "email": "email_in_notes"}
    assert _pairs(twin.cli) == {(*sorted((a, b)), keys[k], v) for a, b, _line, k, v in ASKED}
    names = _names(twin.cli)
    assert len(names) == 2 * len(ASKED) + len(JOINED) and "" not in names


def test_a_scan_never_merges_two_names_that_differ_in_a_number(cli: Any, imp: Any, tmp_path: Path) -> None:
    """`pcrm identity scan` merged "Unit 100" into "Unit 200" (0.96) when they shared a company, a title and
    a street address, with no key in common: the scorer read "100" and "200" as a slip of one name, as the
    [shared-keys] rule no longer does. The same numbered name is still one person's."""
    adr = "ADR;TYPE=work:;;10 Blacket St;Canberra;ACT;2600;Australia\r\nORG:Acme\r\nTITLE:Front desk"
    names = ["Unit 100", "Unit 200", "Unit 100A", "Unit 100B", "Desk 7", "Desk 7"]
    path = tmp_path / "units.vcf"
    path.write_text("".join(_card(name, adr) for name in names), encoding="utf-8", newline="")
    imp(path)  # the two "Desk 7" are one contact
    assert _names(cli) == ["Desk 7", "Unit 100", "Unit 100A", "Unit 100B", "Unit 200"]
    assert cli.json("identity", "scan", *N)["data"]["auto_merged"] == 0
    assert _names(cli) == ["Desk 7", "Unit 100", "Unit 100A", "Unit 100B", "Unit 200"]
