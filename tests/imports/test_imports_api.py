"""Multipart imports [import-report]: the CLI's ImportReport byte for byte, reruns that create nothing,
dry runs, the 10 MB limit, and 400s for binary files and for files posted to the wrong route."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.paths import TESTDATA
from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)
CSV = (
    "full_name,email,company,phone\n"
    "Ada Lovelace,ada@analytical.io,Analytical Engines,+12025550123\n"
    '"Hopper, Grace",grace@navy.mil,US Navy,\n'
    "Émile Zola 📚,emile@example.fr,,\n"
    ",,Nobody Inc,\n"
).encode()
URL = "/api/v1/contacts/import/{}"


def _testdata(name: str) -> Path:
    p = TESTDATA / "linkedin" / name
    if not p.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{p} is missing: CI must have ../shared/testdata beside the checkout")
        pytest.skip("../shared/testdata is not beside this checkout")
    return p


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / "in" / name
    p.parent.mkdir(exist_ok=True)
    p.write_bytes(data)
    return p


def _upload(path: Path, **form: Any) -> dict[str, Any]:
    return {"files": {"file": (path.name, path.read_bytes(), "text/csv")}, "data": form}


async def _contacts(twin: Any) -> int:
    return (await twin.request("GET", "/api/v1/contacts")).json()["meta"]["total"]


async def test_csv_upload_answers_the_cli_report_and_a_rerun_creates_nothing(
    empty_twin: Any, tmp_path: Path
) -> None:
    f = _file(tmp_path, "contacts.csv", CSV)
    r = await empty_twin.parity(["import", str(f), *N], "POST", URL.format("csv"), **_upload(f))
    empty_twin.check_schema("POST", "/contacts/import/csv", r)
    report, meta = r.json()["data"], r.json()["meta"]
    # the reference's field beside the report: the contacts created, so its UI says "3 contacts created"
    listed = empty_twin.cli.json("contacts", "list")["data"]
    assert sorted(c["full_name"] for c in report["created"]) == sorted(c["full_name"] for c in listed)
    assert {c["id"] for c in report["created"]} == {c["id"] for c in listed}
    assert meta == {
        "format": "csv",
        "filename": "contacts.csv",
        "dry_run": False,
        "identity": {"auto_merged": 0, "merge_ids": []},
    }  # tier 1 ran: it created contacts
    assert report["contacts_created"] == 3 and report["batch_id"]
    assert len(report["errors"]) == 1 and report["errors"][0].startswith("Row 5:")
    assert await _contacts(empty_twin) == 3

    again = await empty_twin.request("POST", URL.format("csv"), **_upload(f))
    empty_twin.check_schema("POST", "/contacts/import/csv", again)
    rerun = again.json()["data"]
    assert rerun["created"] == []
    assert rerun["contacts_created"] == 0 and rerun["contacts_updated"] == 0 and rerun["batch_id"] is None
    assert rerun["contacts_skipped"] == 3
    assert await _contacts(empty_twin) == 3
    history = empty_twin.cli.json("import", "history")["data"]
    assert [b["id"] for b in history] == [report["batch_id"]]


async def test_the_stores_own_csv_export_posted_back_changes_nothing(empty_twin: Any, tmp_path: Path) -> None:
    # [own-exports]: each row's id names its contact; the two namesakes known by name alone were created
    # again on every upload, and every contact was 'updated' with its id and created_at as extra fields
    for name in ("Solo Alice", "Solo Alice", "Solo Bob"):
        empty_twin.cli("contacts", "add", "--name", name)
    f = tmp_path / "export.csv"
    empty_twin.cli("export", "csv", "--output", str(f))
    for _ in range(2):
        r = await empty_twin.request("POST", URL.format("csv"), **_upload(f))
        rep = r.json()["data"]
        assert (rep["contacts_created"], rep["contacts_updated"], rep["contacts_skipped"]) == (0, 0, 3)
    assert await _contacts(empty_twin) == 3


@pytest.mark.parametrize(
    ("content", "names"),
    [
        (b"full_name\nSolo Alice\nSolo Bob\n", ["Solo Alice", "Solo Bob"]),
        (b"email\nalice@solo.test\n", [None]),
    ],
)
async def test_a_one_column_csv_imports(
    empty_twin: Any, tmp_path: Path, content: bytes, names: list[str | None]
) -> None:
    f = _file(tmp_path, "onecol.csv", content)
    r = await empty_twin.request("POST", URL.format("csv"), **_upload(f))
    assert r.status_code == 200, r.text
    assert [c["full_name"] for c in r.json()["data"]["created"]] == names
    assert await _contacts(empty_twin) == len(names)


async def test_dry_run_and_options_match_the_cli(empty_twin: Any, tmp_path: Path) -> None:
    f = _file(tmp_path, "contacts.csv", CSV)
    r = await empty_twin.parity(
        ["import", str(f), "--dry-run", *N],
        "POST",
        URL.format("csv"),
        **_upload(f, dry_run="true"),
    )
    empty_twin.check_schema("POST", "/contacts/import/csv", r)
    assert r.json()["meta"]["dry_run"] is True and r.json()["data"]["contacts_created"] == 3
    assert r.json()["data"]["batch_id"] is None
    assert await _contacts(empty_twin) == 0  # nothing written

    # --strict: one bad row aborts the whole file, in both shells; the envelope is the same but for the words
    # that name the option: the CLI's `--strict`, the upload's form field `strict=true` [error-detail]
    cli = empty_twin.cli("import", str(f), "--strict", *N, "--json", ok=None).stdout_bytes.rstrip(b"\n")
    r = await empty_twin.request("POST", URL.format("csv"), **_upload(f, strict="true"))
    body = assert_error(r, "bad_request", 400)
    assert "Row 5" in body["error"]["message"] and "(strict=true)" in body["error"]["message"]
    assert r.content.replace(b"strict=true", b"--strict") == cli
    assert await _contacts(empty_twin) == 0

    r = await empty_twin.parity(
        ["import", str(f), "--tz", "Nowhere/Else", *N],
        "POST",
        URL.format("csv"),
        **_upload(f, tz="Nowhere/Else"),
    )
    assert r.status_code == 422
    assert_error(
        await empty_twin.request("POST", URL.format("csv"), **_upload(f, dry_run="sometimes")),
        "validation_error",
        422,
    )
    assert_error(
        await empty_twin.request("POST", URL.format("csv"), **_upload(f, colour="red")),
        "validation_error",
        422,
    )
    assert await _contacts(empty_twin) == 0


async def test_linkedin_uploads_answer_the_cli_reports(empty_twin: Any) -> None:
    conns = _testdata("kawsay__Connections.csv")
    r = await empty_twin.parity(
        ["import", str(conns), *N],
        "POST",
        URL.format("linkedin"),
        **_upload(conns),
    )
    empty_twin.check_schema("POST", "/contacts/import/linkedin", r)
    data = r.json()["data"]
    assert r.json()["meta"]["format"] == "linkedin" and data["source"] == "linkedin"
    assert data["contacts_created"] >= 1
    assert data["created"] == data["contacts_created"]  # the reference's counts: of the file's 2 rows
    assert data["created"] + data["skipped"] == 2

    msgs = _testdata("kawsay__messages.csv")  # Ana Lopez writes to Pedro Fuentes (me) and he answers
    empty_twin.cli(
        "contacts", "add", "--name", "Ana Lopez", "--linkedin", "https://www.linkedin.com/in/analopez", *N
    )
    r = await empty_twin.parity(
        ["import", str(msgs), "--me", "Pedro Fuentes", *N],
        "POST",
        URL.format("linkedin-messages"),
        **_upload(msgs, me="Pedro Fuentes"),
    )
    empty_twin.check_schema("POST", "/contacts/import/linkedin-messages", r)
    data = r.json()["data"]
    assert r.json()["meta"]["format"] == "linkedin-messages"
    assert data["interactions_created"] >= 1 and data["new_interactions"] == data["interactions_created"]
    assert (
        data["unmatched"] == len(data["unmatched_names"]) and data["skipped"] == data["interactions_skipped"]
    )
    again = await empty_twin.request(
        "POST", URL.format("linkedin-messages"), **_upload(msgs, me="Pedro Fuentes")
    )
    assert again.json()["data"]["interactions_created"] == 0 and again.json()["data"]["new_interactions"] == 0


async def test_linkedin_skipped_counts_rows_as_the_reference_does_on_every_run(
    empty_twin: Any, tmp_path: Path
) -> None:
    """The reference's `skipped` of a Connections.csv counts rows: each row makes a contact or is skipped
    (matched, folded into one an earlier row made, or without a name). It counted a contact two rows name
    once, so a rerun of 6 rows said created 0, skipped 5 [import-report]."""
    rows = _testdata("tekjobs__Connections.csv").read_bytes().splitlines(keepends=True)
    again = rows[5]  # Sam Lee, listed twice
    nameless = b",,https://www.linkedin.com/in/someone-private,,,,01 Jan 2020\r\n"
    f = _file(tmp_path, "Connections.csv", b"".join([*rows, again, nameless]))
    first = await empty_twin.parity(["import", str(f), *N], "POST", URL.format("linkedin"), **_upload(f))
    empty_twin.check_schema("POST", "/contacts/import/linkedin", first)
    data = first.json()["data"]
    assert (data["created"], data["skipped"], data["contacts_folded"]) == (4, 2, 1)
    rerun = await empty_twin.parity(["import", str(f), *N], "POST", URL.format("linkedin"), **_upload(f))
    data = rerun.json()["data"]
    assert (data["created"], data["skipped"]) == (0, 6), data
    assert data["contacts_skipped"] == 5  # the CLI's "unchanged": Sam's contact once, and the nameless row
    assert "rows_skipped" not in rerun.json()["meta"]


async def test_a_file_posted_to_the_wrong_route_is_a_400_naming_the_right_one(
    empty_twin: Any, tmp_path: Path
) -> None:
    msgs, conns = _testdata("kawsay__messages.csv"), _testdata("kawsay__Connections.csv")
    body = assert_error(
        await empty_twin.request("POST", URL.format("linkedin"), **_upload(msgs)), "bad_request", 400
    )
    assert "/api/v1/contacts/import/linkedin-messages" in body["error"]["message"]
    assert body["error"]["details"] == {
        "format": "linkedin-messages",
        "route": "/api/v1/contacts/import/linkedin-messages",
    }
    body = assert_error(
        await empty_twin.request("POST", URL.format("csv"), **_upload(conns)), "bad_request", 400
    )
    assert body["error"]["details"]["route"] == "/api/v1/contacts/import/linkedin"
    generic = _file(tmp_path, "contacts.csv", CSV)
    body = assert_error(
        await empty_twin.request("POST", URL.format("linkedin-messages"), **_upload(generic)),
        "bad_request",
        400,
    )
    assert body["error"]["details"]["route"] == "/api/v1/contacts/import/csv"
    assert await _contacts(empty_twin) == 0


async def test_binary_and_other_non_csv_files_are_400(empty_twin: Any, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    for route in ("csv", "linkedin", "linkedin-messages"):
        f = _file(tmp_path, "photo.csv", png)
        body = assert_error(
            await empty_twin.request("POST", URL.format(route), **_upload(f)), "bad_request", 400
        )
        assert "photo.csv" in body["error"]["message"] and "binary" in body["error"]["message"]
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        )
    z = _file(tmp_path, "export.zip", buf.getvalue())
    body = assert_error(
        await empty_twin.request("POST", URL.format("linkedin"), **_upload(z)), "bad_request", 400
    )
    assert "pcrm import export.zip" in body["error"]["hint"]
    vcf = _file(tmp_path, "ada.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n")
    assert_error(await empty_twin.request("POST", URL.format("csv"), **_upload(vcf)), "bad_request", 400)
    # not multipart, no file, two files, an empty file
    assert_error(
        await empty_twin.request("POST", URL.format("csv"), json={"dry_run": "true"}), "bad_request", 400
    )
    assert_error(
        await empty_twin.request(
            "POST", URL.format("csv"), data={"dry_run": "true"}, files={"other": ("x.csv", CSV, "text/csv")}
        ),
        "bad_request",
        400,
    )
    assert_error(
        await empty_twin.request(
            "POST",
            URL.format("csv"),
            files=[("file", ("a.csv", CSV, "text/csv")), ("file", ("b.csv", CSV, "text/csv"))],
        ),
        "bad_request",
        400,
    )
    assert_error(
        await empty_twin.request("POST", URL.format("csv"), files={"file": ("e.csv", b"", "text/csv")}),
        "bad_request",
        400,
    )
    assert_error(
        await empty_twin.request(
            "POST",
            URL.format("csv"),
            content=b"--x\r\nbroken",
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        ),
        "bad_request",
        400,
    )
    assert await _contacts(empty_twin) == 0


async def test_uploads_over_10_mb_are_413(empty_twin: Any) -> None:
    big = b"full_name,email\n" + b"x" * (10 * 1024 * 1024)
    r = await empty_twin.request("POST", URL.format("csv"), files={"file": ("big.csv", big, "text/csv")})
    body = assert_error(r, "payload_too_large", 413)
    assert body["error"]["details"]["max_bytes"] == 10 * 1024 * 1024
    assert await _contacts(empty_twin) == 0
    # the same route still takes a normal file
    ok = b"full_name,email\n" + b"Ada Lovelace,ada@example.com\n"
    r = await empty_twin.request("POST", URL.format("csv"), files={"file": ("ok.csv", ok, "text/csv")})
    assert r.status_code == 200 and r.json()["data"]["contacts_created"] == 1


async def test_map_and_date_order_are_form_fields_as_the_cli_options(empty_twin: Any, tmp_path: Path) -> None:
    f = _file(tmp_path, "people.csv", b"Rufname,Familie,Geboren\nAda,Lovelace,01/02/1990\n")
    maps = ["Rufname=given_name", "Familie=family_name", "Geboren=birthday"]
    r = await empty_twin.parity(
        ["import", str(f), "--dry-run", *[a for m in maps for a in ("--map", m)], *N],
        "POST",
        URL.format("csv"),
        **_upload(f, dry_run="true", map=maps),
    )
    assert r.json()["data"]["contacts_created"] == 1 and r.json()["data"]["errors"] == []
    r = await empty_twin.request("POST", URL.format("csv"), **_upload(f, map=maps))
    assert r.status_code == 200, r.text
    ada = (await empty_twin.request("GET", "/api/v1/contacts")).json()["data"][0]
    assert (ada["given_name"], ada["family_name"], ada["full_name"]) == ("Ada", "Lovelace", "Ada Lovelace")
    bad = await empty_twin.request("POST", URL.format("csv"), **_upload(f, map="Rufname"))
    assert "COLUMN=FIELD" in assert_error(bad, "validation_error", 422)["error"]["message"]
    bad = await empty_twin.request("POST", URL.format("csv"), **_upload(f, date_order="ddmm"))
    assert "date order" in assert_error(bad, "validation_error", 422)["error"]["message"]
    # the date order decides how 01/02/1990 reads (day first unless the file proves otherwise)
    assert ada["birthday"] == "1990-02-01"
    g = _file(tmp_path, "more.csv", b"Rufname,Familie,Geboren\nBob,Builder,03/04/1991\n")
    r = await empty_twin.request("POST", URL.format("csv"), **_upload(g, map=maps, date_order="mdy"))
    assert r.status_code == 200, r.text
    people = (await empty_twin.request("GET", "/api/v1/contacts", params={"search": "Bob"})).json()["data"]
    assert [p["birthday"] for p in people] == ["1991-03-04"]


async def test_a_linkedin_messages_upload_hints_the_form_field_not_the_cli_option(empty_twin: Any) -> None:
    """Without `me`, the upload is refused with a hint that names the form field `me`, not `--me`; the CLI
    keeps naming its option."""
    msgs = _testdata("kawsay__messages.csv")
    r = await empty_twin.request("POST", URL.format("linkedin-messages"), **_upload(msgs))
    hint = assert_error(r, "bad_request", 400)["error"]["hint"]
    assert "--me" not in hint and hint.startswith("pass me='")
    cli = empty_twin.cli("import", str(msgs), "--json", *N, ok=False)
    assert '"hint":"pass --me ' in cli.stdout
    # rows neither from nor to the `me` given: what was left out hints the field too
    other = _testdata("linkedin-network-intelligence__Messages.csv")
    r = await empty_twin.request("POST", URL.format("linkedin-messages"), **_upload(other, me="Sam Tester"))
    body = assert_error(r, "bad_request", 400)
    for hint in (body["error"]["hint"], body["error"]["details"]["not_imported"][0]["hint"]):
        assert "--me" not in hint and "the form field `me` with your name" in hint and ", e.g. me='" in hint
