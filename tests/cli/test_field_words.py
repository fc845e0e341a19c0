"""A message shown to people names a field as they know it, not by its API name [cli-failures]: `pcrm
contacts add --telegram 'bad name!'` said "telegram_username: 'bad name!' is not a handle", `pcrm contacts
edit Ada --name ""` "full_name: a blank value would clear it", `pcrm orgs edit ORG --linkedin-url foo`
"linkedin_url must be ...". On stderr the option typed is named; the --json envelope keeps the API's terms."""

from __future__ import annotations

import json

import pytest

from tests.support.crm import Crm


@pytest.mark.parametrize(
    "args, said, api_said",
    [
        (
            ("contacts", "add", "--name", "Z", "--telegram", "bad name!"),
            "error: --telegram: 'bad name!' is not a handle\n",
            "telegram_username: 'bad name!' is not a handle",
        ),
        (
            ("contacts", "add", "--name", "Z", "--email", "notanemail"),
            "error: --email: 'notanemail' is not an email address\n",
            "emails: 'notanemail' is not an email address",
        ),
        (
            ("contacts", "add", "--name", "Z", "--linkedin", "http://example.com/x"),
            "error: --linkedin must be a linkedin.com address or a profile slug\n",
            "linkedin_url must be a linkedin.com address or a profile slug",
        ),
        (
            ("contacts", "edit", "Ada Lovelace", "--priority", "soon"),
            "error: --priority: unknown priority 'soon'\nhint: use one of: high, medium, low, archived\n",
            "priority_level: unknown priority 'soon'",
        ),
        (
            ("contacts", "edit", "Ada Lovelace", "--name", " "),
            (
                "error: --name: a blank value would clear it; nothing changed\n"
                "hint: give a value; to empty it on purpose: --clear name\n"
            ),
            "full_name: a blank value would clear it; nothing changed",
        ),
        (
            ("contacts", "edit", "Ada Lovelace", "--email", " "),
            "hint: give a value; to remove them all on purpose: --clear emails\n",  # --clear takes the field
            "emails: a blank email would remove every email the contact has; nothing changed",
        ),
        (
            ("orgs", "edit", "Analytical Engines", "--linkedin-url", "foo"),
            "error: --linkedin-url must be a linkedin.com address, not 'foo'\n",
            "linkedin_url must be a linkedin.com address, not 'foo'",
        ),
    ],
)
def test_an_input_error_names_the_option_typed(
    crm: Crm, args: tuple[str, ...], said: str, api_said: str
) -> None:
    crm.add("Ada Lovelace", "--email", "ada@example.com")
    crm.cli("orgs", "add", "Analytical Engines")
    before = crm.dump()
    r = crm.cli(*args, ok=None)
    assert r.exit_code == 1 and said in r.stderr, r.stderr
    assert "_" not in r.stderr.splitlines()[0], r.stderr
    env = json.loads(crm.cli(*args, "--json", ok=None).stdout)
    assert env["error"]["message"] == api_said  # the API's terms, as the API answers
    assert crm.dump() == before
