"""Lists of contact fields kept outside the model (a CSV dialect's columns, what `contacts show` prints)
name only fields the model declares, so a renamed or removed field cannot linger in them."""

from __future__ import annotations

from pcrm.domain import models


def test_the_generic_csv_columns_are_contact_fields() -> None:
    from pcrm.formats import generic_csv, own_columns
    from pcrm.services.exports import CSV_COLUMNS

    assert set(generic_csv.ALIASES) <= set(models.FIELDS)
    # the last column holds the contact's extra fields (contact_fields), which the import reads back
    assert CSV_COLUMNS[-1] == generic_csv.EXTRA_FIELDS
    # before the creation time, pcrm's own columns (the identities no column holds, the fields typed by hand)
    own = len(own_columns.COLUMNS)
    assert CSV_COLUMNS[-2 - own : -2] == own_columns.COLUMNS
    assert set(CSV_COLUMNS[: -2 - own]) | {CSV_COLUMNS[-2]} <= set(models.FIELDS)
    # the export writes the import's own column names, so an export imports back
    assert [generic_csv.column_key(c) for c in CSV_COLUMNS[1 : -2 - own]] == [
        names[0] for names in generic_csv.ALIASES.values()
    ]


def test_what_contacts_show_prints_are_contact_fields() -> None:
    from pcrm.cli._render import _SHOW_ORDER

    assert set(_SHOW_ORDER) <= set(models.FIELDS)
