"""`pcrm contacts edit X --add-phone abc` said `--phone: 'abc' is not a phone number`: an option the user had
not typed. A bad address or number is named by the option that brought it [cli-failures]."""

from __future__ import annotations

import pytest

from tests.support.crm import Crm


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--add-phone", "abc", "error: --add-phone: 'abc' is not a phone number"),
        ("--add-email", "nope", "error: --add-email: 'nope' is not an email address"),
        ("--phone", "abc", "error: --phone: 'abc' is not a phone number"),
        ("--email", "nope", "error: --email: 'nope' is not an email address"),
    ],
)
def test_a_bad_value_is_named_by_the_option_typed(crm: Crm, option: str, value: str, said: str) -> None:
    ada = crm.add("Ada Lovelace", "--email", "ada@example.com")
    got = crm.cli("contacts", "edit", ada["id"], option, value, ok=False)
    assert got.stderr.splitlines()[0] == said, got.stderr
    assert crm.show(ada["id"])["emails"] == ["ada@example.com"] and crm.show(ada["id"])["phones"] == []
