"""An empty match or merge id is refused as one [review-queue]: `pcrm identity merge ""` (reject, and
`pcrm contacts unmerge ""`) answered "no identity match with id " / "no merge with id ", naming nothing."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("blank", ["", "   "])
@pytest.mark.parametrize(
    ("command", "says", "lists"),
    [
        (("identity", "merge"), "empty identity match reference", "pcrm identity matches"),
        (("identity", "reject"), "empty identity match reference", "pcrm identity matches"),
        (("contacts", "unmerge"), "empty merge reference", "pcrm identity history"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_an_empty_id_is_said_as_one(
    crm: Any, command: tuple[str, str], says: str, lists: str, blank: str
) -> None:
    err = crm.rejects(*command, blank, code="validation_error", says=says)
    assert lists in err["hint"] and " id " not in err["message"], err
