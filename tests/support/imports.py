"""The import tests' clock: the `imp` fixture runs `pcrm import PATH ... --now NOW`."""

from __future__ import annotations

NOW = "2026-03-01T12:00:00Z"

# a Telegram contacts-list entry with both the exporting computer's wall clock and the moment
NADIA = {
    "user_id": 4242,
    "first_name": "Nadia",
    "last_name": "Petrova",
    "phone_number": "+44 7700 900123",
    "date": "2019-11-17T18:35:44",
    "date_unixtime": "1574012144",
}


def telegram_account(contacts: list[dict[str, object]]) -> dict[str, object]:
    """A whole-account Telegram Desktop export (`result.json`) of the user "Me Myself" holding `contacts` in
    its contacts list and no chats."""
    return {
        "personal_information": {"user_id": 1, "first_name": "Me", "last_name": "Myself"},
        "contacts": {"about": "", "list": contacts},
        "chats": {"about": "", "list": []},
    }
