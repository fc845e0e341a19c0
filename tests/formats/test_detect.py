"""Every real sample is recognised by the parser of its kind, and by no other specific parser.

The generic contacts CSV is not specific: it also accepts Google's CSV (the import's registry asks it
last), so it is only checked on what it must not take."""

from __future__ import annotations

import pytest

from pcrm.formats import (
    generic_csv,
    google_csv,
    linkedin,
    linkedin_zip,
    outlook_csv,
    telegram,
    vcard,
    whatsapp,
    x_archive,
)
from tests.support.formats import sample
from tests.support.paths import TESTDATA

SPECIFIC = {
    "google-csv": google_csv,
    "outlook-csv": outlook_csv,
    "linkedin": linkedin.Connections,
    "linkedin-messages": linkedin.Messages,
    "linkedin-zip": linkedin_zip,
    "telegram": telegram,
    "vcard": vcard,
    "whatsapp": whatsapp,
    "x-archive": x_archive,
}
FOLDER = {
    "google_csv": "google-csv",
    "outlook_csv": "outlook-csv",
    "telegram": "telegram",
    "vcard": "vcard",
    "whatsapp": "whatsapp",
    "x_archive": "x-archive",
}


def _expected(rel: str) -> str:
    folder, name = rel.split("/", 1)
    if folder == "linkedin":
        return "linkedin" if "connections" in name.lower() else "linkedin-messages"
    return FOLDER[folder]


SAMPLES = (
    sorted(
        str(p.relative_to(TESTDATA))
        for p in TESTDATA.rglob("*")
        if p.is_file() and p.parent != TESTDATA and p.parent.name != "ics"
    )
    if TESTDATA.is_dir()
    else []
)


def test_there_are_samples(corpus):
    assert len(SAMPLES) >= 60


@pytest.mark.parametrize("rel", SAMPLES)
def test_each_sample_is_detected_by_its_own_parser_only(rel, corpus):
    found = [name for name, fmt in SPECIFIC.items() if fmt.detect(sample(corpus, rel))]
    assert found == [_expected(rel)]


@pytest.mark.parametrize("rel", [r for r in SAMPLES if not r.startswith("google_csv/")])
def test_the_generic_csv_takes_no_other_kind_of_file(rel, corpus):
    assert not generic_csv.detect(sample(corpus, rel))
