"""CSV imports keep what a column means, not only its value [csv-imports]: a column named in another script
labels its extra field by the header as written (`pcrm contacts show` gave `column A`, `schuhgr e 38`),
Google's custom fields are one field named by their label (were a `custom field 1 label` and a `custom
field 1 value` pair), and Google's second organisation, occupation and photo are kept as what they are
(were raw `organization 2 name`, `occupation`, `photo` fields). A rerun changes nothing, an undo restores
the store, and a file imported before the labels gains no second copy of a field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pcrm.store.db import connect
from tests.support.store import people

# what a command records of itself (the batch list, the day's score catch-up), beside the contacts
_BOOKKEEPING = ("settings", "import_batches")

GOOGLE_LEGACY = (
    "Name,Given Name,Family Name,Occupation,E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Name,"
    "Organization 1 - Title,Organization 2 - Name,Organization 2 - Title,Organization 2 - Department,"
    "Custom Field 1 - Type,Custom Field 1 - Value,Custom Field 2 - Type,Custom Field 2 - Value,Photo\n"
    "Ann Lee,Ann,Lee,Dentist,* Home,ann@example.org,Acme,CTO,Globex,Advisor,Board,Shoe size,38,"
    "Blood type,38,https://lh3.googleusercontent.com/a/ann.jpg\n"
)


def _shown(cli: Any, name: str) -> list[tuple[str, str]]:
    """The rows `pcrm contacts show NAME` prints after `updated at` (the extra fields), as (what, text)."""
    out = cli("contacts", "show", name).stdout.splitlines()
    rows = out[next(i for i, line in enumerate(out) if line.startswith("updated at")) + 1 :]
    cells = [re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in rows if "  " in line.strip()]
    return [(c[0], c[1]) for c in cells]


def _unlabel(db: Path) -> None:
    """The store as an import before labelled extra fields left it: every `x` field without a label."""
    conn = connect(db, migrate=False, create=False)
    try:
        conn.execute("UPDATE contact_fields SET label = NULL WHERE kind = 'x'")
    finally:
        conn.close()


def _rerun_and_undo(cli: Any, imp: Any, dump: Any, f: Path, before: dict[str, Any], batch: str) -> None:
    after = dump(skip=_BOOKKEEPING)
    assert imp(f)["data"]["batch_id"] is None  # nothing new: no batch
    assert dump(skip=_BOOKKEEPING) == after
    cli("import", "undo", batch, "--yes")
    assert dump(skip=_BOOKKEEPING) == before


def test_columns_named_in_other_scripts_label_their_fields(cli, imp, dump, db, tmp_path):
    f = tmp_path / "x.csv"
    text = "name,email,血液型,趣味,Schuhgröße,#\nAnn Lee,ann@example.org,A,囲碁,38,7\n"
    f.write_text(text, encoding="utf-8")
    before = dump(skip=_BOOKKEEPING)
    batch = imp(f)["data"]["batch_id"]
    shown = _shown(cli, "Ann Lee")
    assert ("血液型", "A") in shown and ("趣味", "囲碁") in shown and ("Schuhgröße", "38") in shown
    assert ("#", "7") in shown
    assert not [w for w, _ in shown if w in ("column", "schuhgr e")], shown
    _rerun_and_undo(cli, imp, dump, f, before, batch)


def test_two_columns_of_one_name_and_value_stay_two_fields(cli, imp, dump, tmp_path):
    """血液型 and 趣味 both `A` gave one line, `X-COLUMN:A`: the import kept one field, 趣味's value was
    lost."""
    f = tmp_path / "x.csv"
    f.write_text("name,email,血液型,趣味\nAnn Lee,ann@example.org,A,A\n", encoding="utf-8")
    before = dump(skip=_BOOKKEEPING)
    batch = imp(f)["data"]["batch_id"]
    shown = _shown(cli, "Ann Lee")
    assert ("血液型", "A") in shown and ("趣味", "A") in shown
    _rerun_and_undo(cli, imp, dump, f, before, batch)


def test_a_file_imported_before_the_labels_gains_no_second_copy(cli, imp, dump, db, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("name,email,血液型,Schuhgröße\nAnn Lee,ann@example.org,A,38\n", encoding="utf-8")
    imp(f)
    assert {x["label"] for x in people(db)["Ann Lee"]["fields"]} == {"血液型", "Schuhgröße"}
    labelled = dump(skip=_BOOKKEEPING)
    _unlabel(db)
    held = dump(skip=_BOOKKEEPING)
    # the same lines, held without their labels: the re-import gives them their labels in their place
    # [relabelled-fields], no second copy; its undo takes the labels back off
    batch = imp(f)["data"]["batch_id"]
    assert dump(skip=_BOOKKEEPING) == labelled
    assert imp(f)["data"]["batch_id"] is None
    cli("import", "undo", batch, "--yes")
    assert dump(skip=_BOOKKEEPING) == held


def test_google_custom_fields_are_one_field_named_by_their_label(cli, imp, dump, db, tmp_path):
    f = tmp_path / "google.csv"
    f.write_text(GOOGLE_LEGACY, encoding="utf-8")
    before = dump(skip=_BOOKKEEPING)
    rep = imp(f, "--format", "google-csv")["data"]
    assert not any("Custom Field" in e for e in rep["errors"]), rep["errors"]
    shown = _shown(cli, "Ann Lee")
    assert ("Shoe size", "38") in shown and ("Blood type", "38") in shown
    assert not [w for w, _ in shown if w.startswith("custom field")], shown
    _rerun_and_undo(cli, imp, dump, f, before, rep["batch_id"])


def test_google_custom_fields_imported_as_pairs_before_gain_no_second_value(cli, imp, dump, db, tmp_path):
    f = tmp_path / "google.csv"
    f.write_text(GOOGLE_LEGACY, encoding="utf-8")
    imp(f, "--format", "google-csv")
    labelled = dump(skip=_BOOKKEEPING)
    _unlabel(db)  # the value's line as the pairs kept it
    held = dump(skip=_BOOKKEEPING)
    batch = imp(f, "--format", "google-csv")["data"]["batch_id"]  # labelled in place [relabelled-fields]
    assert dump(skip=_BOOKKEEPING) == labelled
    assert imp(f, "--format", "google-csv")["data"]["batch_id"] is None
    cli("import", "undo", batch, "--yes")
    assert dump(skip=_BOOKKEEPING) == held


def test_google_second_job_occupation_and_photo_are_kept_as_what_they_are(cli, imp, dump, db, tmp_path):
    f = tmp_path / "google.csv"
    f.write_text(GOOGLE_LEGACY, encoding="utf-8")
    before = dump(skip=_BOOKKEEPING)
    rep = imp(f, "--format", "google-csv")["data"]
    assert not any(c in e for e in rep["errors"] for c in ("Organization 2", "Occupation", "Photo"))
    ann = people(db)["Ann Lee"]
    assert (ann["company"], ann["title"]) == ("Acme", "CTO")
    kept = {(x["kind"], x["value"]) for x in ann["fields"]}
    assert {
        ("org", "Globex;Board"),
        ("prop", "TITLE:Advisor"),
        ("prop", "TITLE:Dentist"),
        ("photo", "https://lh3.googleusercontent.com/a/ann.jpg"),
    } <= kept
    shown = _shown(cli, "Ann Lee")
    assert ("other company", "Globex, Board") in shown and ("other title", "Advisor") in shown
    assert ("other title", "Dentist") in shown
    vcf = tmp_path / "out.vcf"
    cli("export", "vcard", "--output", str(vcf))
    assert "PHOTO;VALUE=uri:https://lh3.googleusercontent.com/a/ann.jpg" in vcf.read_text(encoding="utf-8")
    _rerun_and_undo(cli, imp, dump, f, before, rep["batch_id"])


def test_google_occupation_is_the_title_when_the_row_gives_none(imp, db, tmp_path):
    f = tmp_path / "google.csv"
    f.write_text(
        "Name,Occupation,E-mail 1 - Type,E-mail 1 - Value\nBo Ek,Dentist,Home,bo@example.org\n",
        encoding="utf-8",
    )
    imp(f, "--format", "google-csv")
    bo = people(db)["Bo Ek"]
    assert bo["title"] == "Dentist"
    assert not [x for x in bo["fields"] if x["kind"] in ("x", "prop")], bo["fields"]
