"""CSV imports keep what a column means, not only its value [csv-imports]: a column named in another script
labels its extra field by the header as written (`pcrm contacts show` gave `column A`, `schuhgr e 38`). A
rerun changes nothing, an undo restores the store, and a file imported before the labels gains no second
copy of a field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pcrm.store.db import connect
from tests.support.store import people

# what a command records of itself (the batch list, the day's score catch-up), beside the contacts
_BOOKKEEPING = ("settings", "import_batches")


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


def test_a_file_imported_before_the_labels_gains_no_second_copy(cli, imp, dump, db, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("name,email,血液型,Schuhgröße\nAnn Lee,ann@example.org,A,38\n", encoding="utf-8")
    imp(f)
    assert {x["label"] for x in people(db)["Ann Lee"]["fields"]} == {"血液型", "Schuhgröße"}
    _unlabel(db)
    held = dump(skip=_BOOKKEEPING)
    assert imp(f)["data"]["batch_id"] is None  # the same lines: held already, labelled or not
    assert dump(skip=_BOOKKEEPING) == held
