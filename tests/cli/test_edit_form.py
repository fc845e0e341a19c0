"""`pcrm contacts edit` with $EDITOR (a small script stands in for the editor), list edits and --clear."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pcrm.cli import _edit_form as form
from tests.support.crm import Crm


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """EDITOR = a Python script given the form's path as $1 (sys.argv[1])."""
    import sys

    path = tmp_path / "fake-editor.py"
    path.write_text(f"#!{sys.executable}\nimport sys, pathlib\np = pathlib.Path(sys.argv[1])\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(path))
    return path


def _ada(crm: Crm) -> dict[str, object]:
    return crm.add(
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+442079460958",
        "--company",
        "Analytical Engines",
        "--tag",
        "math",
        "--notes",
        "first line\nsecond line",
    )


def test_editor_changes_only_what_was_edited(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ada(crm)
    _editor(
        tmp_path,
        monkeypatch,
        "t = p.read_text()\n"
        "t = t.replace('title: \\n', 'title: Countess\\n')\n"
        "t = t.replace('  - ada@example.com\\n', '  - ada@example.com\\n  - ada@analytical.org\\n')\n"
        "t = t.replace('company: Analytical Engines', 'company:')\n"
        "p.write_text(t)",
    )
    before = crm.show("ada@example.com")
    out = json.loads(crm.cli("contacts", "edit", "ada@example.com", "--json").stdout)
    ada = crm.show("ada@example.com")
    # the edit answers as PUT /contacts/{id} does: the contact alone, without the labels and the kept values
    # a read adds [value-labels] [other-values]
    read_only = ("phone_labels", "email_labels", "other_values")
    assert out["data"] == {k: v for k, v in ada.items() if k not in read_only}
    assert ada["email_labels"] == [None, None]
    fields = {f for _label, f in form.FIELDS}
    assert {k for k in fields if ada[k] != before[k]} == {"company", "emails", "title"}
    assert ada["title"] == "Countess"
    assert ada["emails"] == ["ada@example.com", "ada@analytical.org"]
    assert ada["company"] is None
    assert ada["notes"] == "first line\nsecond line"  # the block round-trips untouched
    assert ada["tags"] == ["math"]


def test_unchanged_form_says_nothing_changed(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ada(crm)
    before = crm.show("ada@example.com")
    _editor(tmp_path, monkeypatch, "pass")
    r = crm.cli("contacts", "edit", "ada@example.com")
    assert r.exit_code == 0
    assert "nothing changed" in r.stderr
    assert crm.show("ada@example.com")["updated_at"] == before["updated_at"]


def test_bad_form_names_its_line_and_changes_nothing(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ada(crm)
    _editor(tmp_path, monkeypatch, "p.write_text(p.read_text().replace('title:', 'job: x\\ntitle:'))")
    from pcrm.cli import contacts_edit

    monkeypatch.setattr(contacts_edit, "at_terminal", lambda: False)
    r = crm.cli("contacts", "edit", "ada@example.com", ok=False)
    assert r.exit_code == 1
    assert "line 10 of the form: unknown field 'job'" in r.stderr
    assert crm.show("ada@example.com")["title"] is None


def test_bad_form_at_a_terminal_can_be_opened_again(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ada(crm)
    # first round: break the form; second round (the error is on top): fix it and set the title
    _editor(
        tmp_path,
        monkeypatch,
        "t = p.read_text()\n"
        "if t.startswith('# error:'):\n"
        "    t = t.replace('oops\\n', '').replace('title: \\n', 'title: Countess\\n')\n"
        "else:\n"
        "    t = t.replace('title:', 'oops\\ntitle:')\n"
        "p.write_text(t)",
    )
    from pcrm.cli import contacts_edit

    monkeypatch.setattr(contacts_edit, "at_terminal", lambda: True)
    r = crm.cli("contacts", "edit", "ada@example.com", input="y\n")
    assert "expected `key: value`" in r.stderr
    assert crm.show("ada@example.com")["title"] == "Countess"


def test_editor_failing_changes_nothing(crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ada(crm)
    _editor(tmp_path, monkeypatch, "p.write_text('title: X\\n'); sys.exit(3)")
    r = crm.cli("contacts", "edit", "ada@example.com", ok=False)
    assert "exited with status 3" in r.stderr
    assert crm.show("ada@example.com")["title"] is None


def test_form_round_trip() -> None:
    c = {
        "id": "x",
        "full_name": "Ada",
        "emails": ["a@b.c"],
        "phones": [],
        "tags": ["x", "y"],
        "notes": "one\n\nthree",
        "priority_level": "high",
    }
    parsed = form.parse(form.build(c))
    assert form.changes(c, parsed) == {}
    assert parsed["notes"] == "one\n\nthree"
    assert form.parse("tags: a, b\n")["tags"] == ["a", "b"]


def test_add_and_remove_one_email_or_phone(crm: Crm) -> None:
    _ada(crm)
    crm.cli("contacts", "edit", "ada@example.com", "--add-email", "ada@analytical.org")
    crm.cli("contacts", "edit", "ada@analytical.org", "--rm-email", "ADA@example.com")
    crm.cli("contacts", "edit", "ada@analytical.org", "--add-phone", "+1 202 555 0123")
    crm.cli("contacts", "edit", "ada@analytical.org", "--rm-phone", "+44 20 7946 0958")
    ada = crm.show("ada@analytical.org")
    assert ada["emails"] == ["ada@analytical.org"]
    assert ada["phones"] == ["+1 202 555 0123"]
    r = crm.cli("contacts", "edit", "ada@analytical.org", "--rm-email", "nobody@example.com", ok=False)
    assert "has no email 'nobody@example.com'" in r.stderr
    r = crm.cli(
        "contacts", "edit", "ada@analytical.org", "--email", "a@b.co", "--add-email", "c@d.co", ok=False
    )
    assert "use one or the other" in r.stderr


@pytest.mark.parametrize("typed", ["job-title", "job_title", "--title", "title"])
def test_clear_takes_what_users_type(crm: Crm, typed: str) -> None:
    crm.add("Ada Lovelace", "--title", "Countess")
    crm.cli("contacts", "edit", "Ada Lovelace", "--clear", typed)
    assert crm.show("Ada Lovelace")["title"] is None


def test_clear_unknown_field_says_which_exist(crm: Crm) -> None:
    crm.add("Ada Lovelace")
    r = crm.cli("contacts", "edit", "Ada Lovelace", "--clear", "shoe-size", ok=False)
    assert "unknown field" in r.stderr and "job-title" not in r.stderr and "given-name" in r.stderr


def test_tags_on_one_line_are_read_as_pcrm_shows_them(
    crm: Crm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tags: book club, "a,b", say "hi"` on one line of the form: it was split at every comma, so `"a` and
    `b"` became two tags; it is read as `pcrm contacts show` lists tags on a line [tag-commas]."""
    _ada(crm)
    shown = 'book club, "a,b", say "hi", "she said \\"x, y\\""'
    _editor(
        tmp_path,
        monkeypatch,
        "t = p.read_text()\n"
        f"t = t.replace('tags:\\n  - math\\n', 'tags: ' + {shown!r} + '\\n')\n"
        "p.write_text(t)",
    )
    crm.cli("contacts", "edit", "ada@example.com")
    assert crm.show("ada@example.com")["tags"] == ["book club", "a,b", 'say "hi"', 'she said "x, y"']


def test_removing_a_value_the_contact_lacks_names_what_it_has(crm: Crm) -> None:
    """`--rm-email`/`--rm-phone` of a value the contact does not hold said "see its addresses with `pcrm
    contacts show`", naming no one (and so no command to copy); the hint now says what it holds."""
    _ada(crm)
    crm.cli("contacts", "edit", "ada@example.com", "--add-email", "ada@analytical.org")
    r = crm.cli("contacts", "edit", "ada@example.com", "--rm-email", "nobody@example.com", ok=False)
    assert r.stderr.endswith("hint: it has ada@example.com, ada@analytical.org\n"), r.stderr
    r = crm.cli("contacts", "edit", "ada@example.com", "--rm-phone", "+1 202 555 0199", ok=False)
    assert r.stderr.endswith("hint: it has +442079460958\n"), r.stderr
    crm.cli("contacts", "edit", "ada@example.com", "--rm-phone", "+44 20 7946 0958")
    r = crm.cli("contacts", "edit", "ada@example.com", "--rm-phone", "+44 20 7946 0958", ok=False)
    assert r.stderr.endswith("hint: it has none; add one with --add-phone\n"), r.stderr


@pytest.mark.parametrize(
    ("given", "cleared"),
    [
        (("--title", "VP Sales"), "title"),
        (("--email", "x@example.com"), "emails"),
        (("--add-email", "x@example.com"), "email"),
        (("--rm-phone", "+44 20 7946 0958"), "phones"),
        (("--tag", "vip"), "tags"),
        (("--name", "Ada King"), "name"),
        (("--twitter", "ada"), "x"),
        (("--notes", "new"), "--notes"),
    ],
)
def test_a_value_and_a_clear_of_the_same_field_are_refused(
    crm: Crm, given: tuple[str, str], cleared: str
) -> None:
    """`pcrm contacts edit "Lynn Khan" --title "VP Sales" --clear title` emptied the title: both the old and
    the new value were lost, silently. One field given a value and emptied is refused whole, nothing
    changed, as --email with --add-email is."""
    ada = str(_ada(crm)["id"])
    crm.cli("contacts", "edit", ada, "--title", "Countess", "--twitter", "ada_l")
    err = crm.rejects("contacts", "edit", ada, *given, "--clear", cleared, code="validation_error")
    assert "use one or the other" in err["message"] and given[0] in err["message"]
    crm.cli("contacts", "edit", ada, *given)  # alone, it does what it says


def test_a_clear_beside_a_value_of_another_field_is_done(crm: Crm) -> None:
    ada = str(_ada(crm)["id"])
    crm.cli("contacts", "edit", ada, "--title", "VP Sales", "--clear", "company")
    shown = crm.show(ada)
    assert shown["title"] == "VP Sales" and shown["company"] is None


def test_orgs_edit_refuses_a_value_and_a_clear_of_the_same_field(crm: Crm) -> None:
    crm.cli("orgs", "add", "Hooli", "--website", "hooli.xyz")
    err = crm.rejects(
        "orgs", "edit", "hooli", "--website", "hooli.com", "--clear", "website", code="validation_error"
    )
    assert "use one or the other" in err["message"]
    crm.cli("orgs", "edit", "hooli", "--website", "hooli.com", "--clear", "twitter")
