"""WhatsApp chats read right or reported: day/month order from the file's own evidence, system lines by
their form, locale header forms, and headers in unknown forms reported with their line."""

from __future__ import annotations

import pytest

from pcrm.formats import whatsapp
from pcrm.formats.base import Input
from tests.support.formats import options


def _parse(text: str, me: str = "Bob", name: str = "WhatsApp Chat with Ann.txt", **kw: object):
    return whatsapp.parse(Input(text.encode("utf-8"), name), options(me=[me], **kw))


IOS_12H_DMY = (
    "[01/12/2024, 10:05:23 AM] Ann: hi there\n"
    "[01/12/2024, 10:06:00 AM] Bob: \u200e<attached: 00000001-PHOTO-2024-12-01-10-06-00.jpg>\n"
    "[02/12/2024, 9:00:00 AM] Ann: IMG-20241202-WA0001.jpg (file attached)\n"
    "[04/12/2024, 11:00:00 PM] Bob: see you\n"
)


def test_media_file_dates_decide_day_first_over_the_clock_style():
    parsed = _parse(IOS_12H_DMY)
    days = [it.occurred_at[:10] for it in parsed.interactions]
    assert days == ["2024-12-01", "2024-12-01", "2024-12-02", "2024-12-04"]
    assert parsed.errors == []


def test_media_file_dates_decide_month_first_too():
    text = IOS_12H_DMY.replace("PHOTO-2024-12-01", "PHOTO-2024-01-12").replace("IMG-20241202", "IMG-20240212")
    days = [it.occurred_at[:10] for it in _parse(text).interactions]
    assert days == ["2024-01-12", "2024-01-12", "2024-02-12", "2024-04-12"]


def test_undecided_order_is_warned_and_date_order_settles_it():
    text = "[01/12/2024, 10:05 AM] Ann: hi\n[02/12/2024, 9:00 AM] Bob: yo\n"
    guessed = _parse(text)
    assert any("--date-order" in e and "01/12/2024" in e for e in guessed.errors)
    forced = _parse(text, date_order="dmy")
    assert [it.occurred_at[:10] for it in forced.interactions] == ["2024-12-01", "2024-12-02"]
    assert forced.errors == []
    assert [it.occurred_at[:10] for it in _parse(text, date_order="mdy").interactions] == [
        "2024-01-12",
        "2024-02-12",
    ]


def test_a_day_above_twelve_needs_no_warning():
    parsed = _parse("01/12/2024, 10:05 - Ann: hi\n13/12/2024, 10:05 - Bob: yo\n")
    assert [it.occurred_at[:10] for it in parsed.interactions] == ["2024-12-01", "2024-12-13"]
    assert parsed.errors == []


@pytest.mark.parametrize(
    "body",
    [
        "my security code changed yesterday, weird",
        "Did you see? Messages and calls are end-to-end encrypted now lol",
        "he changed his phone number",
    ],
)
def test_messages_that_mention_a_notice_are_messages(body):
    text = f"[3/18/22, 14:56:01] Ann: hi\n[3/18/22, 14:57:01] Ann: {body}\n[3/18/22, 14:58:01] Bob: ok\n"
    parsed = _parse(text)
    assert [it.content_preview for it in parsed.interactions] == ["hi", body, "ok"]


def test_notices_attributed_to_a_sender_stay_system_lines():
    text = (
        "[3/18/22, 14:56:01] Ann: Messages and calls are end-to-end encrypted. No one outside of this chat, "
        "not even WhatsApp, can read or listen to them.\n"
        "[3/18/22, 14:57:01] Ann: Your security code with Ann changed. Tap to learn more.\n"
        "[3/18/22, 14:58:01] Bob: ok\n"
        "[3/19/22, 14:58:01] Ann: fine\n"
    )
    assert [it.content_preview for it in _parse(text).interactions] == ["ok", "fine"]


@pytest.mark.parametrize(
    ("lines", "me"),
    [
        (
            [
                "13.6.2018 klo 21.25.15 - Matti: Hei",
                "13.6.2018 klo 21.26.00 - Liisa: Moi",
                "14.6.2018 klo 8.01 - Matti: Huomenta",
            ],
            "Liisa",
        ),
        (
            [
                "13/06/2018 à 21:25 - Jean: Salut",
                "13/06/2018 à 21:26 - Marie: Coucou",
                "14/06/2018 à 8:01 - Jean: ok",
            ],
            "Marie",
        ),
        (
            [
                "13.06.18 um 21:25 - Hans: Hallo",
                "13.06.18 um 21:26 - Eva: Hi",
                "14.06.18 um 08:01 - Hans: ja",
            ],
            "Eva",
        ),
        (
            [
                "13.06.2018 в 21:25 - Иван: Привет",
                "13.06.2018 в 21:26 - Ольга: Да",
                "14.06.2018 в 8:01 - Иван: ок",
            ],
            "Ольга",
        ),
        (["13-06-2018 21:25 - Ann: hi", "13-06-2018 21:26 - Bob: yo", "14-06-2018 08:01 - Ann: x"], "Bob"),
    ],
)
def test_locale_header_forms(lines, me):
    text = "\n".join(lines) + "\n"
    inp = Input(text.encode("utf-8"), "chat.txt")
    assert whatsapp.detect(inp)
    parsed = whatsapp.parse(inp, options(me=[me]))
    assert [it.occurred_at[:16] for it in parsed.interactions] == [
        "2018-06-13T21:25",
        "2018-06-13T21:26",
        "2018-06-14T08:01",
    ]
    assert [it.direction for it in parsed.interactions] == ["inbound", "outbound", "inbound"]
    assert parsed.errors == []


def test_a_header_in_an_unknown_form_is_reported_with_its_line():
    text = "13/06/2018 21:25 - Ann: hi\n13/06/2018 21:26 - Bob: yo\n13/06/2018 21:27 » Bob: x\n"
    parsed = _parse(text)
    assert len(parsed.interactions) == 2
    assert any(e.startswith("Row 3:") and "layout" in e for e in parsed.errors)
