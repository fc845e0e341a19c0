"""Every file in ../shared/testdata/{vcard,whatsapp,telegram,x_archive} against corpus_vcard_chats.json: the
contacts it yields (names, emails, phones, birthdays), its messages by direction, or its error; and a
rerun changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.paths import TESTDATA

MANIFEST = json.loads((Path(__file__).parent / "corpus_vcard_chats.json").read_text(encoding="utf-8"))
FOLDERS = ("vcard", "whatsapp", "telegram", "x_archive")


def _corpus_files() -> list[str]:
    if not TESTDATA.is_dir():
        return sorted(MANIFEST)  # the corpus fixture fails (CI) or skips with the reason
    return sorted(f"{d}/{p.name}" for d in FOLDERS for p in (TESTDATA / d).iterdir() if p.is_file())


def test_manifest_covers_every_corpus_file(corpus):
    on_disk = {f"{d}/{p.name}" for d in FOLDERS for p in (corpus / d).iterdir() if p.is_file()}
    assert on_disk == set(MANIFEST), "corpus_vcard_chats.json and the corpus differ: " + repr(
        on_disk ^ set(MANIFEST)
    )


def _shape(c: dict) -> dict:
    return {k: c[k] for k in ("full_name", "emails", "phones", "birthday") if c[k] not in (None, [])}


@pytest.mark.parametrize("name", _corpus_files())
def test_corpus_file(name, corpus, imp, contacts, store):
    spec = MANIFEST[name]
    path = corpus / name
    env = imp(path, *spec["args"], "--tz", "UTC", ok=None)
    if "error" in spec:
        assert env["error"] is not None, f"{name} imported but should fail"
        assert env["error"]["message"].startswith(spec["error"])
        assert env["error"]["hint"]
        assert contacts() == []
        return
    assert env["error"] is None, env["error"]
    got = sorted((_shape(c) for c in contacts()), key=lambda c: json.dumps(c, ensure_ascii=False))
    assert got == spec["contacts"]
    assert len(env["data"]["errors"]) == spec.get("row_errors", 0), env["data"]["errors"]
    if "messages" in spec:
        assert store.directions() == spec["messages"]
    if (
        "rerun_error" in spec
    ):  # a file that only fills `me`: once it is set, nothing to import [import-report]
        env = imp(path, *spec["args"], "--tz", "UTC", ok=False)
        assert env["error"]["message"].startswith(spec["rerun_error"]) and env["error"]["hint"]
        return
    again = imp(path, *spec["args"], "--tz", "UTC")["data"]
    assert (again["contacts_created"], again["contacts_updated"], again["interactions_created"]) == (0, 0, 0)
    assert again["batch_id"] is None


@pytest.mark.parametrize("name", [n for n in sorted(MANIFEST) if "date_order" in MANIFEST[n]])
def test_whatsapp_day_month_order(name, corpus):
    from pcrm.formats import whatsapp

    msgs, _ = whatsapp.read_messages((corpus / name).read_bytes().decode("utf-8-sig"))
    assert set(whatsapp._orders(msgs).values()) == {MANIFEST[name]["date_order"]}
