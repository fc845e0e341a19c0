"""A birthday an import cannot store is kept as written, never dropped [kept-birthdays].

`pcrm import` of a vCard with `BDAY:1990-13-45` (or `--0230`, or a date with a time that is no time) said
"ignored birthday ..." and lost the value; `BDAY:1990-04-15T25:00:00` was even taken as 1990-04-15. The
CSV imports (generic, Google, Outlook) dropped such a birthday the same way. Now the value is kept as the
file wrote it in a `birthday` field, the row error says so and why, and the birthday stays empty; a date
vCard 3.0 / 4.0 allows (`--0415`, `--04-15`, `19900415`, a date-time with its zone) is the birthday. The
vCard export writes a kept value back (`BDAY;VALUE=text`, or `X-PCRM-BIRTHDAY` beside a birthday: one BDAY a
card), and its import into an empty store keeps the
same field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.store import StoreReader

KEPT = "kept as an extra field, as text; the birthday is left empty"


def _card(name: str, bday: str) -> str:
    email = f"{name.split()[0].lower()}@x.test"
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\n{bday}\r\nEND:VCARD\r\n"


def _birthdays(store: StoreReader) -> dict[str, tuple[str | None, list[str]]]:
    """Each contact's birthday and the values of its `birthday` fields, by name."""
    out: dict[str, tuple[str | None, list[str]]] = {}
    for name, birthday in store.q("SELECT full_name, birthday FROM contacts"):
        kept = store.q(
            "SELECT f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
            "WHERE c.full_name = ? AND f.kind = 'birthday' ORDER BY f.position, f.id",
            (name,),
        )
        out[name] = (birthday, [v for (v,) in kept])
    return out


BAD = [
    ("Ann", "BDAY:1990-13-45", "1990-13-45", "is not a real date"),
    ("Ben", "BDAY:--0230", "--0230", "is not a real date"),
    ("Cy", "BDAY:tomorrow", "tomorrow", "is not a date"),
    ("Dee", "BDAY:1990-04-15T25:00:00", "1990-04-15T25:00:00", "has a time that is not a real time"),
    (
        "Eve",
        "BDAY:1990-04-15T10:00:00+9900",
        "1990-04-15T10:00:00+9900",
        "has a time that is not a real time",
    ),
    ("Fay", "BDAY:1990", "1990", "is not a whole date (it needs a month and a day)"),
    ("Guy", "BDAY:20300101", "20300101", "is in the future"),  # kept as written, not as 2030-01-01
]
GOOD = [
    ("Gus", "BDAY:--0415", "04-15"),
    ("Hal", "BDAY:--04-15", "04-15"),
    ("Ida", "BDAY:19900415", "1990-04-15"),
    ("Jo", "BDAY:1990-04-15T00:00:00Z", "1990-04-15"),
    ("Kim", "BDAY;VALUE=date:1990-04-15", "1990-04-15"),
    ("Lu", "BDAY:--0229", "02-29"),
]


def test_a_vcard_birthday_that_is_no_date_is_kept_with_a_row_error(
    imp: Any, store: StoreReader, tmp_path: Path, corpus: Path
) -> None:
    f = tmp_path / "people.vcf"
    f.write_text("".join(_card(f"{n} Test", line) for n, line, *_ in BAD + GOOD), encoding="utf-8")
    rep = imp(f, ok=None)["data"]
    assert rep["contacts_created"] == len(BAD) + len(GOOD)
    said = [e.split(": ", 1)[1] for e in rep["errors"]]
    assert said == [f"birthday {raw!r} {why}: {KEPT}" for _n, _l, raw, why in BAD]
    got = _birthdays(store)
    for n, _line, raw, _why in BAD:
        assert got[f"{n} Test"] == (None, [raw]), n
    for n, _line, day in GOOD:
        assert got[f"{n} Test"] == (day, []), n
    # real cards: DAVx5's BDAY:1996-04-15T201243+04:00 (a date-time with its zone) is the birthday; khard's
    # BDAY;VALUE=text:circa 1800 says it is text, so it is kept with nothing to report
    for name, (birthday, kept) in (
        ("vcard4android__allfields-vcard3.vcf", ("1996-04-15", [])),
        ("khard__text-bday.vcf", (None, ["circa 1800"])),
    ):
        rep = imp(corpus / "vcard" / name, ok=None)["data"]
        assert rep["contacts_created"] == 1 and not any("birthday" in e for e in rep["errors"]), rep
        assert (birthday, kept) in [v for k, v in _birthdays(store).items() if k not in got], name
        got = _birthdays(store)


def test_a_kept_birthday_survives_a_vcard_round_trip(
    cli: Any, imp: Any, store: StoreReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "people.vcf"
    f.write_text("".join(_card(f"{n} Test", line) for n, line, *_ in BAD + GOOD), encoding="utf-8")
    imp(f, ok=None)
    # a contact with both: its kept value, then a birthday set by hand
    cli("contacts", "edit", "ann@x.test", "--birthday", "1990-12-13")
    before = _birthdays(store)
    assert before["Ann Test"] == ("1990-12-13", ["1990-13-45"])
    for version in ("3.0", "4.0"):
        out = tmp_path / f"export-{version}.vcf"
        cli("export", "vcard", "--version", version, "--output", str(out))
        cards = out.read_text(encoding="utf-8").split("END:VCARD")
        # one BDAY a card: Ann's kept value beside her birthday is pcrm's own line, Ben's (no birthday) BDAY
        ann = next(c for c in cards if "ann@x.test" in c)
        assert "BDAY:1990-12-13" in ann and "X-PCRM-BIRTHDAY:1990-13-45" in ann
        assert "BDAY;VALUE=text:--0230" in next(c for c in cards if "ben@x.test" in c)
        assert all(c.count("\nBDAY") <= 1 for c in cards), version
        home = tmp_path / f"empty-{version}"
        monkeypatch.setenv("PCRM_HOME", str(home))
        rep = imp(out)["data"]  # ok: no row error on its own file
        assert rep["errors"] == [] and rep["contacts_created"] == len(BAD) + len(GOOD)
        assert _birthdays(StoreReader(home)) == before, version
        monkeypatch.setenv("PCRM_HOME", str(store.path.parent))


@pytest.mark.parametrize(
    ("fmt", "text", "raw", "why"),
    [
        (
            "csv",
            "full_name,email,birthday\nAnn Test,ann@x.test,1990-13-45\n",
            "1990-13-45",
            "is not a real date",
        ),
        ("csv", "full_name,email,birthday\nAnn Test,ann@x.test,19600231\n", "19600231", "is not a real date"),
        (
            "csv",
            "full_name,email,birthday\nAnn Test,ann@x.test,tomorrow\n",
            "tomorrow",
            "is not a date pcrm can read",
        ),
        (
            "google-csv",
            "Name,Given Name,Family Name,E-mail 1 - Value,Birthday\nAnn Test,Ann,Test,ann@x.test,--02-30\n",
            "--02-30",
            "is not a real date",
        ),
        (
            "outlook-csv",
            "First Name,Last Name,E-mail Address,Birthday\nAnn,Test,ann@x.test,2/30/1990\n",
            "2/30/1990",
            "is not a real date",
        ),
    ],
)
def test_a_csv_birthday_that_is_no_date_is_kept_as_the_cell_has_it(
    fmt: str, text: str, raw: str, why: str, imp: Any, store: StoreReader, tmp_path: Path
) -> None:
    f = tmp_path / "people.csv"
    f.write_text(text, encoding="utf-8")
    rep = imp(f, "--format", fmt)["data"]
    assert rep["errors"] == [f"Row 2: birthday {raw!r} {why}: {KEPT}"]
    assert _birthdays(store) == {"Ann Test": (None, [raw])}
    again = imp(f, "--format", fmt)["data"]  # the same file again: nothing new, the field not twice
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    assert _birthdays(store) == {"Ann Test": (None, [raw])}


def test_a_birthday_a_store_from_before_kept_as_a_note_is_not_kept_twice(
    imp: Any, store: StoreReader, tmp_path: Path
) -> None:
    """Stores from before kept a future birthday as a `note` field labelled `birthday`. `pcrm import` of the
    same file again said "1 updated" and added the value a second time as a `birthday` field, so `pcrm
    export vcard` wrote two `BDAY;VALUE=text:2031-04-15` lines for one value."""
    import apsw

    f = tmp_path / "people.csv"
    f.write_text("full_name,email,birthday\nDan Future,dan@x.test,2031-04-15\n", encoding="utf-8")
    imp(f, ok=None)
    conn = apsw.Connection(str(store.path))  # the field as a store from before holds it
    with conn:
        conn.execute("UPDATE contact_fields SET kind = 'note', label = 'birthday' WHERE kind = 'birthday'")
    conn.close()
    again = imp(f, ok=None)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    assert store.fields("Dan Future") == [("note", "birthday", "2031-04-15", None)]


def test_contacts_show_tells_a_kept_birthday_from_the_birthday(
    cli: Any, imp: Any, store: StoreReader, tmp_path: Path
) -> None:
    """`pcrm contacts show ann@x.test` of a contact whose card had `BDAY:1990-13-45` and whose birthday the
    user then set listed two rows both called "birthday" (1990-12-13 and 1990-13-45): which one pcrm uses
    could not be told. The kept one is "birthday as written"; so is a note labelled birthday (stores from
    before)."""
    import apsw

    f = tmp_path / "people.vcf"
    f.write_text(_card("Ann Test", "BDAY:1990-13-45") + _card("Ben Test", "BDAY:20310101"), encoding="utf-8")
    imp(f, ok=None)
    cli("contacts", "edit", "ann@x.test", "--birthday", "1990-12-13")
    conn = apsw.Connection(str(store.path))  # Ben's kept value as a store from before holds it
    with conn:
        conn.execute("UPDATE contact_fields SET kind = 'note', label = 'birthday' WHERE value = '20310101'")
    conn.close()
    rows = [line.split() for line in cli("contacts", "show", "ann@x.test").stdout.splitlines()]
    assert ["birthday", "1990-12-13"] in rows and ["birthday", "as", "written", "1990-13-45"] in rows
    rows = [line.split() for line in cli("contacts", "show", "ben@x.test").stdout.splitlines()]
    assert ["birthday", "as", "written", "20310101"] in rows


def test_a_date_after_its_text_form_under_one_altid_is_the_birthday(
    imp: Any, store: StoreReader, tmp_path: Path
) -> None:
    """A vCard 4.0 card may give its birthday twice under one ALTID, as text and as a date. With the text
    first (`BDAY;ALTID=1;VALUE=text:15 April 1990`, then `BDAY;ALTID=1:19900415`) the import read the first
    alone: the birthday stayed empty and `pcrm contacts birthdays` never listed her. The date is the
    birthday; the text stays beside it as written."""
    f = tmp_path / "alt.vcf"
    f.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alt Test\r\nEMAIL:alt@x.test\r\n"
        "BDAY;ALTID=1;VALUE=text:15 April 1990\r\nBDAY;ALTID=1:19900415\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["errors"] == []
    assert _birthdays(store) == {"Alt Test": ("1990-04-15", ["15 April 1990"])}
