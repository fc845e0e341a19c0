"""A move to another store through `pcrm export csv` or `pcrm export vcard` keeps what the contact holds
[own-exports]: the CSV and the vCard wrote no map point (so every contact restored from them left the map) and
the vCard no priority (so a restored store had every high-priority and archived contact back at medium, the
archived ones in every list and the overdue list empty). Imported into the store that wrote it, the file
still changes nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import apsw
import pytest

from tests.support.imports import NOW

PEOPLE = [
    ["--name", "Ada Lovelace", "--email", "ada@example.com", "--priority", "high"],
    ["--name", "Grace Hopper", "--email", "grace@example.com", "--priority", "archived"],
    ["--name", "Alan Turing", "--email", "alan@example.com", "--priority", "low"],
    ["--name", "Katherine Johnson", "--email", "katherine@example.com"],
]
POINTS = {"Ada Lovelace": (51.5072, -0.1276), "Alan Turing": (-33.8688, 151.2093)}


def _seed(cli: Any) -> None:
    for args in PEOPLE:
        name = args[1]
        point = POINTS.get(name)
        where = ["--latitude", str(point[0]), "--longitude", str(point[1])] if point else []
        cli("contacts", "add", *args, *where, "--now", NOW)


def _held(cli: Any) -> dict[str, tuple[str, Any, Any]]:
    rows = cli.json("contacts", "list", "--all", "--include-archived", "--now", NOW)["data"]
    return {c["full_name"]: (c["priority_level"], c["latitude"], c["longitude"]) for c in rows}


@pytest.mark.parametrize(
    ("kind", "suffix", "extra"),
    [("csv", "csv", []), ("vcard", "vcf", []), ("vcard", "vcf", ["--version", "4.0"])],
)
def test_a_move_keeps_the_priority_and_the_map_point(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, suffix: str, extra: list[str]
) -> None:
    _seed(cli)
    before = _held(cli)
    assert before["Ada Lovelace"] == ("high", 51.5072, -0.1276)
    out = tmp_path / f"people.{suffix}"
    cli("export", kind, *extra, "--output", str(out), "--now", NOW)

    again = cli.json("import", str(out), "--dry-run", "--now", NOW)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)  # the store that wrote it

    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    cli("init", "--phone-region", "GB", "--me", "Me, me@example.com")
    cli("import", str(out), "--now", NOW)
    assert _held(cli) == before


def test_a_half_or_wrong_map_point_in_a_csv_is_kept_aside_whole(cli: Any, tmp_path: Path) -> None:
    """A CSV's latitude without a longitude, or one off the globe, gives no contact half a point: each cell
    is kept as an extra field, as a column pcrm does not read is."""
    f = tmp_path / "points.csv"
    f.write_text(
        "name,email,lat,lon\n"
        "Ada Lovelace,ada@example.com,51.5072,\n"
        "Grace Hopper,grace@example.com,95,10\n"
        "Alan Turing,alan@example.com,-33.8688,151.2093\n"
    )
    cli("import", str(f), "--now", NOW)
    rows = {c["full_name"]: c for c in cli.json("contacts", "list", "--all", "--now", NOW)["data"]}
    assert (rows["Alan Turing"]["latitude"], rows["Alan Turing"]["longitude"]) == (-33.8688, 151.2093)
    for name in ("Ada Lovelace", "Grace Hopper"):
        assert rows[name]["latitude"] is None and rows[name]["longitude"] is None
    shown = cli("contacts", "show", "Grace Hopper", "--now", NOW).stdout
    assert "95" in shown and "10" in shown


CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\n"
    "X-PCRM-PRIORITY:urgent\r\nX-PCRM-LATITUDE:95\r\nX-PCRM-LONGITUDE:10\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\n"
    "X-PCRM-PRIORITY:high\r\nX-PCRM-PRIORITY:low\r\nX-PCRM-LATITUDE:40.7128\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(("kind", "suffix"), [("vcard", "vcf"), ("csv", "csv")])
def test_the_x_pcrm_lines_a_card_keeps_aside_move_and_come_back_as_they_were(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, suffix: str
) -> None:
    """A card's X-PCRM-PRIORITY pcrm does not know (or a second one), an off-globe or half map point is kept
    as an extra field, but kept as the very line the import reads: `pcrm export vcard` wrote it as an
    X-PCRM-PROPERTY line and the CSV's extra_fields cell as an X-EXTRA-FIELDS one, so the file imported
    back into the same store 'updated' the contact with the value a second time, and a moved store held
    it twice, once under another name."""
    card = tmp_path / "other-app.vcf"
    card.write_text(CARD, encoding="utf-8")
    cli("import", str(card), "--now", NOW)
    rows = {c["full_name"]: c for c in cli.json("contacts", "list", "--all", "--now", NOW)["data"]}
    assert [(rows[n]["priority_level"], rows[n]["latitude"]) for n in ("Ada Lovelace", "Grace Hopper")] == [
        ("medium", None),
        ("high", None),
    ]
    kept = _kept(cli)
    assert len(kept["Ada Lovelace"]) == 3 and len(kept["Grace Hopper"]) == 2, kept
    out = tmp_path / f"people.{suffix}"
    cli("export", kind, "--output", str(out), "--now", NOW)
    again = cli.json("import", str(out), "--now", NOW)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "moved"))
    cli("init")
    cli("import", str(out), "--now", NOW)
    assert _kept(cli) == kept


def _kept(cli: Any) -> dict[str, list[str]]:
    """The extra field lines each contact holds that mention pcrm's own X-PCRM- lines (sorted)."""
    conn = apsw.Connection(str(Path(os.environ["PCRM_HOME"]) / "pcrm.db"))
    out: dict[str, list[str]] = {"Ada Lovelace": [], "Grace Hopper": []}
    for name, value in conn.execute(
        "SELECT c.full_name, f.value FROM contact_fields f JOIN contacts c ON c.id = f.contact_id "
        "WHERE f.value LIKE '%X-PCRM-%' ORDER BY 1, 2"
    ):
        out[name].append(value)
    conn.close()
    return out


OTHER_CSV = (
    "name,email,location,latitude,longitude\n"
    "Ada Lovelace,ada@example.com,Paris,48.8566,2.3522\n"
    "Alan Turing,alan@example.com,Manchester,53.48,-2.24\n"
    "Grace Hopper,grace@example.com,New York,40.7128,-74.006\n"
)
OTHER_VCF = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nX-PCRM-LOCATION:{place}\r\n"
    f"X-PCRM-LATITUDE:{lat}\r\nX-PCRM-LONGITUDE:{lon}\r\nEND:VCARD\r\n"
    for name, email, place, lat, lon in (row.split(",") for row in OTHER_CSV.splitlines()[1:])
)


@pytest.mark.parametrize(("suffix", "text"), [("csv", OTHER_CSV), ("vcf", OTHER_VCF)])
def test_a_files_map_point_goes_only_where_it_places_the_contacts_own_location(
    cli: Any, tmp_path: Path, suffix: str, text: str
) -> None:
    """The point a file gives for a contact whose location is another (Paris for one in London) put the
    contact on the map where the file says, not where the store says it is (the file's location was kept
    aside, its point taken); a point the contact held already was replaced by nothing and the file's dropped
    without a word. A file's point now goes only to a contact with no point whose location is empty or the
    file's; anywhere else it is kept aside, and the same file imported again changes nothing."""
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--location", "London")
    held = ["--latitude", "53.4", "--longitude", "-2.2"]
    cli(
        "contacts",
        "add",
        "--name",
        "Alan Turing",
        "--email",
        "alan@example.com",
        "--location",
        "Manchester",
        *held,
    )
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@example.com")
    f = tmp_path / f"other.{suffix}"
    f.write_text(text, encoding="utf-8")
    cli("import", str(f), "--now", NOW)
    rows = {c["full_name"]: c for c in cli.json("contacts", "list", "--all", "--now", NOW)["data"]}
    assert {n: (c["location"], c["latitude"], c["longitude"]) for n, c in rows.items()} == {
        "Ada Lovelace": ("London", None, None),
        "Alan Turing": ("Manchester", 53.4, -2.2),
        "Grace Hopper": ("New York", 40.7128, -74.006),
    }
    ada = cli("contacts", "show", "Ada Lovelace", "--now", NOW).stdout
    alan = cli("contacts", "show", "Alan Turing", "--now", NOW).stdout
    assert "48.8566" in ada and "2.3522" in ada and "53.48" in alan and "-2.24" in alan
    again = cli.json("import", str(f), "--now", NOW)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)


@pytest.mark.parametrize("suffix", ["csv", "vcf"])
def test_a_point_at_zero_zero_or_no_decimal_number_is_kept_aside_not_put_on_the_map(
    cli: Any, tmp_path: Path, suffix: str
) -> None:
    """Apps write 0, 0 for "no point" (a blank number exported as 0): a file from one put every such contact
    on the map in the Gulf of Guinea; and a cell Python alone reads as a number (`1_0`) put it at latitude
    10. Both are kept aside as extra fields; one as Python writes a small number (`1e-05`) is read."""
    people = [
        ("Ada Lovelace", "ada@example.com", "0", "0"),
        ("Grace Hopper", "grace@example.com", "1_0", "2"),
        ("Alan Turing", "alan@example.com", "1e-05", "-0.1276"),
    ]
    f = tmp_path / f"other.{suffix}"
    if suffix == "csv":
        f.write_text("name,email,latitude,longitude\n" + "".join(",".join(p) + "\n" for p in people))
    else:
        f.write_text(
            "".join(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{n}\r\nEMAIL:{e}\r\nX-PCRM-LATITUDE:{lat}\r\n"
                f"X-PCRM-LONGITUDE:{lon}\r\nEND:VCARD\r\n"
                for n, e, lat, lon in people
            )
        )
    cli("import", str(f), "--now", NOW)
    rows = {c["full_name"]: c for c in cli.json("contacts", "list", "--all", "--now", NOW)["data"]}
    assert {n: (c["latitude"], c["longitude"]) for n, c in rows.items()} == {
        "Ada Lovelace": (None, None),
        "Grace Hopper": (None, None),
        "Alan Turing": (1e-05, -0.1276),
    }
    assert "1_0" in cli("contacts", "show", "Grace Hopper", "--now", NOW).stdout
    again = cli.json("import", str(f), "--now", NOW)["data"]
    assert (again["contacts_created"], again["contacts_updated"]) == (0, 0)
