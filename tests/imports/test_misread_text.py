"""Names, companies and titles a file holds misread are repaired by every import [mojibake].

`pcrm import people.csv` of a UTF-8 CSV whose cells were UTF-8 read once as Windows-1252 (`JosÃ©`) stored
the name "JosÃ©"; so did a vCard's FN, Google's and Outlook's columns, LinkedIn's Connections (names,
company, position) and a chat's sender. Only the Telegram reader repaired its own names. Now the ingest
engine repairs the short identity values of every record when the repair is unambiguous, keeps each value
as the file wrote it in an `X-PCRM-MISREAD` extra field (nothing lost), and counts them in the report
(`text_repaired`). Correct text in any script is never touched; notes stay as the file wrote them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.domain.test_mojibake import NAMES
from tests.support.store import StoreReader

GIVEN, FAMILY, COMPANY, TITLE = "Γιώργος", "Παπαδόπουλος", "株式会社ソニー", "Инженер"
FULL = f"{GIVEN} {FAMILY}"


def _misread(text: str) -> str:
    """`text`'s UTF-8 read as Windows-1252, a byte it has no character for kept as that C1 control."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


def _kept(store: StoreReader, name: str) -> list[str]:
    return [
        v
        for (v,) in store.q(
            "SELECT f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
            "WHERE c.full_name = ? AND f.kind = 'x' AND f.value LIKE 'X-PCRM-MISREAD;%' ORDER BY f.id",
            (name,),
        )
    ]


def _row(store: StoreReader, name: str) -> tuple[Any, ...]:
    rows = store.q(
        "SELECT given_name, family_name, company, title FROM contacts WHERE full_name = ?", (name,)
    )
    assert len(rows) == 1, (name, store.q("SELECT full_name FROM contacts"))
    return tuple(rows[0])


m = _misread
FILES = {
    "csv": (
        "people.csv",
        f"Name,Email,Company,Title\n{m(FULL)},g@x.test,{m(COMPANY)},{m(TITLE)}\n",
    ),
    "google-csv": (
        "google.csv",
        (
            "Name,Given Name,Family Name,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title\n"
            f"{m(FULL)},{m(GIVEN)},{m(FAMILY)},g@x.test,{m(COMPANY)},{m(TITLE)}\n"
        ),
    ),
    "outlook-csv": (
        "outlook.csv",
        (
            "First Name,Last Name,E-mail Address,Company,Job Title\n"
            f"{m(GIVEN)},{m(FAMILY)},g@x.test,{m(COMPANY)},{m(TITLE)}\n"
        ),
    ),
    "vcard": (
        "people.vcf",
        (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{m(FULL)}\r\nN:{m(FAMILY)};{m(GIVEN)};;;\r\n"
            f"ORG:{m(COMPANY)}\r\nTITLE:{m(TITLE)}\r\nEMAIL:g@x.test\r\nEND:VCARD\r\n"
        ),
    ),
    "linkedin": (
        "Connections.csv",
        (
            "Notes:\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            f"{m(GIVEN)},{m(FAMILY)},https://www.linkedin.com/in/giorgos,g@x.test,{m(COMPANY)},{m(TITLE)},"
            "01 Jan 2024\n"
        ),
    ),
}


@pytest.mark.parametrize("fmt", list(FILES))
def test_every_contact_import_repairs_misread_names_and_keeps_them_as_written(
    fmt: str, imp: Any, cli: Any, store: StoreReader, tmp_path: Path
) -> None:
    name, text = FILES[fmt]
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    rep = imp(f, "--format", fmt)["data"]
    assert rep["contacts_created"] == 1 and rep["errors"] == [], rep
    given, family, company, title = _row(store, FULL)
    assert (company, title) == (COMPANY, TITLE)
    assert (given, family) in ((GIVEN, FAMILY), (None, None))  # the parts a format gives, repaired
    kept = _kept(store, FULL)
    assert rep["text_repaired"] == len(kept) >= 3
    # each value the file misread is kept as it wrote it (vCard-escaped, in the field named)
    assert f"X-PCRM-MISREAD;FIELD=company:{m(COMPANY)}" in kept
    assert f"X-PCRM-MISREAD;FIELD=title:{m(TITLE)}" in kept
    assert any(
        v.startswith(("X-PCRM-MISREAD;FIELD=full_name:", "X-PCRM-MISREAD;FIELD=given_name:")) for v in kept
    )
    # the organization is the repaired company's
    assert store.q("SELECT name FROM organizations") == [(COMPANY,)]
    # shown by `contacts show`; a rerun's report counts no repair of its own [mojibake]
    out = cli("import", str(f), "--format", fmt).stdout
    assert "0 new contacts, 0 updated, 1 unchanged" in out  # a rerun changes nothing
    assert "misread" not in out  # and repairs nothing: the values were repaired by the first run
    assert _kept(store, FULL) == kept
    shown = cli("contacts", "show", "g@x.test").stdout
    assert "title as the file wrote it" in shown and m(TITLE) in shown


def test_a_chat_sender_and_a_message_counterpart_are_repaired(
    imp: Any, store: StoreReader, tmp_path: Path
) -> None:
    chat = tmp_path / "WhatsApp Chat with X.txt"
    chat.write_text(
        f"[30/12/2023, 14:30:00] {m('José Ñúñez')}: Hola\n[30/12/2023, 14:31:00] Ada: Hi\n", encoding="utf-8"
    )
    rep = imp(chat, "--format", "whatsapp", "--me", "Ada")["data"]
    assert rep["interactions_created"] == 2 and rep["text_repaired"] == 1, rep
    assert store.q("SELECT count(*) FROM contacts WHERE full_name = ?", ("José Ñúñez",)) == [(1,)]
    assert _kept(store, "José Ñúñez") == [f"X-PCRM-MISREAD;FIELD=full_name:{m('José Ñúñez')}"]
    msgs = tmp_path / "messages.csv"
    msgs.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
        "CONTENT,FOLDER\n"
        f"c1,,{m('Алексей Смирнов')},https://www.linkedin.com/in/alexei,Ada,https://www.linkedin.com/in/ada,"
        "2024-03-15 09:30:00 UTC,,Привет,INBOX\n",
        encoding="utf-8",
    )
    rep = imp(msgs, "--format", "linkedin-messages", "--me", "Ada")["data"]
    assert rep["interactions_created"] == 1, rep
    assert store.q("SELECT count(*) FROM contacts WHERE full_name = ?", ("Алексей Смирнов",)) == [(1,)]
    assert not store.q("SELECT 1 FROM contacts WHERE full_name LIKE '%Ð%'")


def test_correct_names_in_every_script_are_left_alone(imp: Any, store: StoreReader, tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    rows = [f'"{n}",p{i}@x.test,"{n} GmbH",Ingénieur' for i, n in enumerate(NAMES)]
    f.write_text("Name,Email,Company,Title\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["contacts_created"] == len(NAMES) and rep["text_repaired"] == 0, rep
    assert sorted(n for (n,) in store.q("SELECT full_name FROM contacts")) == sorted(NAMES)
    assert not store.q("SELECT 1 FROM contact_fields WHERE value LIKE 'X-PCRM-MISREAD%'")


def test_notes_stay_as_the_file_wrote_them(imp: Any, store: StoreReader, tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text(f"Name,Email,Notes\nAda,a@x.test,{m('Café à Paris')}\n", encoding="utf-8")
    rep = imp(f)["data"]
    assert rep["text_repaired"] == 0
    assert store.q("SELECT notes FROM contacts") == [(m("Café à Paris"),)]


def test_a_contact_an_earlier_import_named_misread_takes_the_repaired_name(
    imp: Any, store: StoreReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store filled before the repair holds "JosÃ©": the same file again renames that contact rather than
    making a second one, for a row with an email and for a row that is nothing but a name."""
    import importlib

    validate = importlib.import_module("pcrm.services.ingest.validate")
    f = tmp_path / "people.csv"
    f.write_text(f"Name,Email\n{m('José')},j@x.test\n{m('Zoë Straße')},\n", encoding="utf-8")
    with monkeypatch.context() as mp:
        mp.setattr(validate, "repair", lambda text: text)  # as pcrm imported it before
        imp(f)
    assert sorted(n for (n,) in store.q("SELECT full_name FROM contacts")) == sorted(
        [m("José"), m("Zoë Straße")]
    )
    rep = imp(f)["data"]
    assert rep["contacts_created"] == 0 and rep["contacts_updated"] == 2, rep
    assert sorted(n for (n,) in store.q("SELECT full_name FROM contacts")) == ["José", "Zoë Straße"]
    assert _kept(store, "José") == [f"X-PCRM-MISREAD;FIELD=full_name:{m('José')}"]


def test_correct_names_before_a_dash_or_apostrophe_are_left_alone(
    imp: Any, store: StoreReader, tmp_path: Path
) -> None:
    """`pcrm import people.csv` stored "Dara Ó’Brien" as "Dara ӒBrien" and "Weiß–Schwarz GmbH" as
    "WeiߖSchwarz GmbH" (ß or Ó before a dash or a curly apostrophe read as one UTF-8 character); "CAFÉ’S"
    as "CAFɒS". Correct text is not repaired, and nothing is counted as repaired."""
    f = tmp_path / "people.csv"
    f.write_text(
        "Name,Email,Company,Title\n"
        "Dara Ó’Brien,d@x.test,Weiß–Schwarz GmbH,Host\n"
        "Jo Ngata,j@x.test,CAFÉ’S,GROß—KLEIN\n",
        encoding="utf-8",
    )
    rep = imp(f)["data"]
    assert rep["text_repaired"] == 0, rep
    assert store.q("SELECT full_name, company, title FROM contacts ORDER BY full_name") == [
        ("Dara Ó’Brien", "Weiß–Schwarz GmbH", "Host"),
        ("Jo Ngata", "CAFÉ’S", "GROß—KLEIN"),
    ]
