"""Chat and message exports at the parser level: Telegram, WhatsApp, LinkedIn (CSVs and the ZIP) and the
X archive. What is pinned here is what the store cannot show: the records themselves (which contact a
message points at, its reference, the owner's identities a file yields) and that a parse is
deterministic, which is what makes re-importing a file (or syncing after it) a no-op."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from pcrm.domain.records import Counterpart, Me
from pcrm.errors import BadRequest
from pcrm.formats import linkedin, linkedin_zip, telegram, whatsapp, x_archive
from pcrm.formats.base import Input
from tests.support.formats import options, sample
from tests.support.paths import TESTDATA

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# ---------------------------------------------------------------- Telegram


def test_telegram_personal_chat(corpus):
    parsed = telegram.parse(
        sample(corpus, "telegram/langchain__result_personal_chat.json"), options(me=["Batman & Robin"])
    )
    (rec,) = parsed.contacts
    # [telegram-names]: the sender's fuller name names him, the chat's is kept as a nickname
    assert rec.data == {"full_name": "Jimmeny Marvelton", "telegram_user_id": "5965280513"}
    assert rec.fields == [{"kind": "nickname", "label": None, "value": "Jimmeny"}]
    refs = [it.raw_reference_id for it in parsed.interactions]
    assert all(re.fullmatch(r"5965280513:\d+", r) for r in refs) and len(set(refs)) == len(refs)
    assert {it.contact for it in parsed.interactions} == {0}
    assert [it.direction for it in parsed.interactions].count("outbound") == 1
    assert all(ISO.match(it.occurred_at) and it.platform == "telegram" for it in parsed.interactions)


def test_telegram_old_format_needs_no_me_and_repairs_mojibake(corpus):
    parsed = telegram.parse(sample(corpus, "telegram/langchain__telegram_old_format.json"), options())
    assert parsed.contacts[0].data["full_name"] == "Grace 🧤"
    assert sorted(it.direction for it in parsed.interactions) == ["inbound", "outbound", "outbound"]


def test_telegram_chat_without_ids_asks_for_me_then_hashes_refs(corpus):
    inp = sample(corpus, "telegram/chat-miner__single_export.json")
    with pytest.raises(BadRequest) as exc:
        telegram.parse(inp, options())
    assert "'Author 1'" in exc.value.hint and "'Author 2'" in exc.value.hint
    first = telegram.parse(inp, options(me=["Author 1"]))
    again = telegram.parse(inp, options(me=["Author 1"]))
    refs = [it.raw_reference_id for it in first.interactions]
    assert refs == [it.raw_reference_id for it in again.interactions]
    assert all(r.startswith("telegram:") for r in refs)


ACCOUNT = {
    "personal_information": {
        "user_id": 1000,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone_number": "+44 20 7946 0000",
        "username": "ada",
    },
    "contacts": {"list": [{"first_name": "Charles", "last_name": "Babbage", "phone_number": "+44 1"}]},
    "chats": {
        "list": [
            {
                "type": "private_group",
                "id": 42,
                "name": "Engines",
                "messages": [
                    {"id": 1, "type": "message", "from": "Ada Lovelace", "from_id": "user1000", "text": "hi"},
                    {"id": 2, "type": "message", "from": "Charles Babbage", "from_id": "user7", "text": "x"},
                    {"id": 3, "type": "message", "from": "Mary Somerville", "from_id": "user8", "text": "y"},
                ],
            }
        ]
    },
}


def test_telegram_account_export_yields_its_owner_and_2nd_tier_members():
    parsed = telegram.parse(Input(json.dumps(ACCOUNT).encode(), "result.json"), options())
    assert parsed.me == Me(names=["Ada Lovelace"], phones=["+44 20 7946 0000"], handles=["ada"])
    listed, stranger = parsed.contacts
    # a listed contact who writes in the group gets the id, not the 2nd-tier tag
    assert listed.where == "contacts" and listed.data["telegram_user_id"] == "7"
    assert stranger.data == {"full_name": "Mary Somerville", "telegram_user_id": "8", "tags": ["2nd tier"]}
    assert stranger.new_only == frozenset({"tags"})
    assert parsed.interactions == [] and parsed.interactions_skipped == 3


def test_telegram_group_members_are_left_out_when_second_tier_is_off():
    parsed = telegram.parse(Input(json.dumps(ACCOUNT).encode(), "result.json"), options(second_tier=False))
    assert [r.where for r in parsed.contacts] == ["contacts"]


# ---------------------------------------------------------------- WhatsApp

ME = {
    "chat-miner__bracket_mmddyy_24hrs.txt": "John Doe",
    "chat-miner__ddmmyy_24hrs.txt": "John Doe",
    "chat-miner__mmddyy_24hrs.txt": "John Doe",
    "chat-miner__mmddyyyy_12hrs_es.txt": "John Doe",
    "chat-miner__yyyymmdd_24hrs.txt": "John Doe",
    "kawsay__ios_chat.txt": "John",
    "langchain__whatsapp_chat_ios.txt": "Jungle Jane",
    "langchain__whatsapp_chat_mixed.txt": "User 1",
    "whats_json__android_en_media.txt": "Dmitry S",
    "whats_json__android_group_system.txt": "Me Myself",
    "whats_json__android_ru.txt": "Dmitry S",
    "whats_json__ios_ar.txt": "Dmitry S",
    "whats_json__ios_buddhist_calendar.txt": "Dmitry S",
    "whats_json__ios_de.txt": "Dmitry S",
    "whats_json__ios_en_media.txt": "Dmitry S",
    "whatstk__lorem-merge-part1.txt": "John",
    "whatstk__lorem.txt": "John",
    "whatstk__pokemon.txt": "Ash Ketchum",
}


def test_every_whatsapp_sample_has_a_me():
    if TESTDATA.is_dir():
        assert sorted(p.name for p in (TESTDATA / "whatsapp").glob("*.txt")) == sorted(ME)


@pytest.mark.parametrize("name", sorted(ME))
def test_whatsapp_chat_is_one_person_with_messages_or_a_group_of_2nd_tier_members(name, corpus):
    inp = sample(corpus, f"whatsapp/{name}")
    parsed = whatsapp.parse(inp, options(me=[ME[name]]))
    again = whatsapp.parse(inp, options(me=[ME[name]]))
    assert parsed.contacts
    if parsed.interactions:  # a chat with one other person
        assert len(parsed.contacts) == 1 and parsed.contacts[0].new_only == frozenset()
        refs = [it.raw_reference_id for it in parsed.interactions]
        assert len(set(refs)) == len(refs)
        assert refs == [it.raw_reference_id for it in again.interactions]
        assert all(it.contact == 0 and ISO.match(it.occurred_at) for it in parsed.interactions)
    else:  # a group: its members, tagged only when the import creates them
        assert all(r.data["tags"] == ["2nd tier"] and r.new_only == {"tags"} for r in parsed.contacts)
    assert [r.data for r in parsed.contacts] == [r.data for r in again.contacts]


def test_whatsapp_times_are_read_in_the_given_zone(corpus):
    inp = sample(corpus, "whatsapp/kawsay__ios_chat.txt")
    utc = whatsapp.parse(inp, options(me=["John"]))
    tokyo = whatsapp.parse(inp, options(me=["John"], tz="Asia/Tokyo"))
    first_utc, first_tokyo = utc.interactions[0].occurred_at, tokyo.interactions[0].occurred_at
    assert int(first_utc[11:13]) - int(first_tokyo[11:13]) in (9, -15)


# ---------------------------------------------------------------- LinkedIn


def test_linkedin_connections_after_the_notes_preamble(corpus):
    parsed = linkedin.Connections.parse(sample(corpus, "linkedin/tekjobs__Connections.csv"), options())
    assert [r.row for r in parsed.contacts] == [5, 6, 7, 8]  # the line each row starts on
    jane = parsed.contacts[0]
    assert jane.data["company"] == "Northwind Traders, Inc."
    assert jane.overwrite == {"company", "title"} and jane.job_change


def test_linkedin_messages_name_counterparts_to_create_when_nobody_matches(corpus):
    inp = sample(corpus, "linkedin/kawsay__messages.csv")
    with pytest.raises(BadRequest) as exc:
        linkedin.Messages.parse(inp, options())
    assert "--me" in exc.value.hint
    parsed = linkedin.Messages.parse(inp, options(me=["Pedro Fuentes"]))
    assert parsed.contacts == []
    assert [(it.direction, it.contact) for it in parsed.interactions] == [
        ("inbound", Counterpart(name="Ana Lopez", linkedin_profile_id="analopez", create=True)),
        ("outbound", Counterpart(name="Ana Lopez", linkedin_profile_id="analopez", create=True)),
    ]
    assert parsed.errors == ["Row 4: 1 field where the header has 10; row skipped"]


def test_linkedin_zip_uses_its_profile_without_touching_the_callers_options(corpus):
    folder = "Basic_LinkedInDataExport_01-01-2026/"
    data = _zip(
        {
            folder + "Connections.csv": (corpus / "linkedin/kawsay__Connections.csv").read_bytes(),
            folder + "messages.csv": (corpus / "linkedin/kawsay__messages.csv").read_bytes(),
            folder + "Profile.csv": b"First Name,Last Name,Headline\nPedro,Fuentes,Engineer\n",
        }
    )
    opts = options()
    parsed = linkedin_zip.parse(Input(data, "export.zip"), opts)
    assert parsed.me == Me(names=["Pedro Fuentes"])
    assert opts.me == Me()  # the owner reached messages.csv without changing the caller's options
    assert {r.where for r in parsed.contacts} == {"Connections.csv"}
    assert [it.direction for it in parsed.interactions] == ["inbound", "outbound"]
    assert {it.where for it in parsed.interactions} == {"messages.csv"}
    assert parsed.errors == ["messages.csv: Row 4: 1 field where the header has 10; row skipped"]


def test_linkedin_zip_with_me_given_keeps_it(corpus):
    data = _zip(
        {
            "messages.csv": (corpus / "linkedin/kawsay__messages.csv").read_bytes(),
            "Profile.csv": b"First Name,Last Name\nAna,Lopez\n",
        }
    )
    opts = options(me=["Pedro Fuentes"], me_given=True)
    parsed = linkedin_zip.parse(Input(data, "export.zip"), opts)
    assert parsed.me == Me(names=["Ana Lopez"])  # still returned: it fills an empty `me` setting
    assert [it.direction for it in parsed.interactions] == ["inbound", "outbound"]


# ---------------------------------------------------------------- X archive


def test_x_account_js_alone_names_the_owner(corpus):
    parsed = x_archive.parse(sample(corpus, "x_archive/twitter-to-sqlite__account.js"), options())
    assert parsed.me == Me(
        names=["Simon Willison"],
        emails=["swillison@example.com"],
        phones=["+15555555555"],
        handles=["simonw"],
    )
    assert parsed.contacts == [] and parsed.interactions == []


def test_x_data_file_without_messages_is_refused(corpus):
    with pytest.raises(BadRequest) as exc:
        x_archive.parse(sample(corpus, "x_archive/twitter-to-sqlite__following.js"), options())
    assert "no direct-messages.js or account.js" in exc.value.message


def _dm(mid: str, sender: str, recipient: str, text: str) -> dict:
    return {
        "messageCreate": {
            "id": mid,
            "senderId": sender,
            "recipientId": recipient,
            "text": text,
            "createdAt": "2024-02-01T10:00:00.000Z",
        }
    }


def test_x_archive_zip_keys_people_by_id_and_skips_groups(corpus):
    dms = [{"dmConversation": {"conversationId": "777-12497", "messages": [
        _dm("1", "777", "12497", "hello"), _dm("2", "12497", "777", "hi back")]}}]  # fmt: skip
    groups = [{"dmConversation": {"conversationId": "g1", "messages": [_dm("3", "5", "6", "x")]}}]
    data = _zip(
        {
            "data/account.js": (corpus / "x_archive/twitter-to-sqlite__account.js").read_bytes(),
            "data/direct-messages.js": b"window.YTD.direct_messages.part0 = " + json.dumps(dms).encode(),
            "data/direct-messages-group.js": b"window.YTD.direct_messages_group.part0 = "
            + json.dumps(groups).encode(),
        }
    )
    parsed = x_archive.parse(Input(data, "twitter-archive.zip"), options())
    assert [r.data for r in parsed.contacts] == [{"twitter_user_id": "777"}]
    assert [(it.direction, it.raw_reference_id, it.contact) for it in parsed.interactions] == [
        ("inbound", "twitter_dm:1", 0),
        ("outbound", "twitter_dm:2", 0),
    ]
    assert parsed.interactions_skipped == 1


def test_telegram_media_only_messages_are_kept_with_their_kind():
    chat = {
        "name": "Charles Babbage",
        "type": "personal_chat",
        "id": 7,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2024-03-01T10:00:00",
                "from": "Charles Babbage",
                "from_id": "user7",
                "text": "look",
                "photo": "photos/p1.jpg",
            },
            {
                "id": 2,
                "type": "message",
                "date": "2024-03-01T10:01:00",
                "from": "Charles Babbage",
                "from_id": "user7",
                "text": "",
                "photo": "photos/p2.jpg",
            },
            {
                "id": 3,
                "type": "message",
                "date": "2024-03-01T10:02:00",
                "from": "Ada Lovelace",
                "from_id": "user1000",
                "text": "",
                "file": "stickers/s.webp",
                "media_type": "sticker",
            },
            {
                "id": 4,
                "type": "message",
                "date": "2024-03-01T10:03:00",
                "from": "Ada Lovelace",
                "from_id": "user1000",
                "text": "",
            },
        ],
    }
    parsed = telegram.parse(Input(json.dumps(chat).encode(), "result.json"), options(me=["Ada Lovelace"]))
    got = [
        (it.raw_reference_id, it.direction, it.content_preview, it.extra_data) for it in parsed.interactions
    ]
    assert got == [
        ("7:1", "inbound", "look", None),
        ("7:2", "inbound", "[photo]", {"media": "photo"}),
        ("7:3", "outbound", "[sticker]", {"media": "sticker"}),
    ]
    assert parsed.interactions_skipped == 1  # the message with nothing in it
