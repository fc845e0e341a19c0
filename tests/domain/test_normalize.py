"""[value-normalisation] normalisation [value-normalisation] and contact input validation [strict-validation]
[partial-edits]."""

from __future__ import annotations

import pytest

from pcrm.domain import normalize as n
from pcrm.domain.contact_input import PROTECTABLE, parse_contact
from pcrm.errors import ValidationError


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  Ada@Example.COM ", "ada@example.com"),
        ("foo+work@x.com", "foo+work@x.com"),
        ("mailto:Bob@X.io", "bob@x.io"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_email(raw, expected):
    assert n.email(raw) == expected


@pytest.mark.parametrize(
    "raw, ok", [("a@b.io", True), ("a@b", False), ("a b@c.io", False), ("@b.io", False), ("a@@b.io", False)]
)
def test_is_email(raw, ok):
    assert n.is_email(raw) is ok


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("@AdaL", "adal"),
        ("  @Ada_TG  ", "ada_tg"),
        ("plain", "plain"),
        ("@", None),
        ("", None),
        (None, None),
        ("@ spaced", "spaced"),
    ],
)
def test_handle(raw, expected):
    assert n.handle(raw) == expected


@pytest.mark.parametrize(
    "raw, region, expected",
    [
        ("+1 (202) 555-0123", None, "+12025550123"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("020 7946 0958", "gb", "+442079460958"),
        ("(202) 555-0123", "US", "+12025550123"),
        ("(202) 555-0123", None, "2025550123"),  # no region: digits only
        ("+1-234-567-8900", None, "+12345678900"),
        ("12", None, "12"),
        ("", None, None),
        ("   ", None, None),
        ("call me", None, None),
    ],
)
def test_phone(raw, region, expected):
    assert n.phone(raw, region) == expected


@pytest.mark.parametrize(
    "raw, region, expected",
    [
        ("+44 20 7946 0958 ext 9", None, "+442079460958;ext=9"),
        ("+44 20 7946 0958 ext. 9", None, "+442079460958;ext=9"),
        ("+44 20 7946 0958 extension 9", "DE", "+442079460958;ext=9"),
        ("020 7946 0958 x9", "GB", "+442079460958;ext=9"),
        ("tel:+44-20-7946-0958;ext=9", None, "+442079460958;ext=9"),
        ("(202) 555-0123 #45", "US", "+12025550123;ext=45"),
        ("+1 202 555 0123,45", None, "+12025550123;ext=45"),
        # no region for a national number: digits, the extension still apart, never glued on
        ("020 7946 0958 x9", None, "02079460958;ext=9"),
        ("020 7946 0958;ext=9", None, "02079460958;ext=9"),
        ("(202) 555-0123 ext 45", None, "2025550123;ext=45"),
        ("tel:020 7946 0958", None, "02079460958"),
        ("07700 900123", "GB", "+447700900123"),
        ("07700 900123", None, "07700900123"),
        ("+44 7700 900123", "DE", "+447700900123"),  # an international number ignores the region
        ("0044 7700 900123", "GB", "+447700900123"),  # 00 is the UK's international prefix
    ],
)
def test_phone_keeps_the_extension_in_one_form(raw, region, expected):
    assert n.phone(raw, region) == expected


@pytest.mark.parametrize(
    "raw", ["+44 20 7946 0958 ext 9", "020 7946 0958 x9", "07700 900123", "(202) 555-0123 #45", "12", "+1234"]
)
@pytest.mark.parametrize("region", [None, "GB", "US"])
def test_a_stored_value_normalises_to_itself(raw, region):
    """The stored value can stand in for the typed text: normalising it again changes nothing."""
    once = n.phone(raw, region)
    assert once is not None and n.phone(once, region) == once


def test_a_national_value_stored_without_region_reads_like_the_typed_text_under_one():
    assert n.phone(n.phone("020 7946 0958 x9") or "", "GB") == n.phone("020 7946 0958 x9", "GB")


def test_split_phone_and_line_digits():
    assert n.split_phone("+442079460958;ext=9") == ("+442079460958", "9")
    assert n.split_phone("+442079460958") == ("+442079460958", None)
    assert n.phone_line_digits("+442079460958;ext=9") == "442079460958"  # not 4420794609589
    assert n.phone_line_digits("02079460958") == "02079460958"


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("+442079460958", "+442079460958", True),
        ("+442079460958;ext=9", "+442079460958;ext=9", True),
        ("+442079460958;ext=9", "+442079460958;ext=7", False),  # two desks of one switchboard
        ("+442079460958", "+442079460958;ext=9", True),  # the switchboard reaches the desk
        ("+442079460958;ext=9", "+442079460958", True),
        ("+12025550123", "12025550123", True),  # the same digits, as tier 1 compares them
        ("+442079460958", "02079460958", False),  # a national number without region is not matched
        ("+442079460958;ext=9", "+4420794609589", False),  # the extension is never glued on
    ],
)
def test_phones_match(a, b, same):
    assert n.phones_match(a, b) is same
    assert n.phones_match(b, a) is same


def test_phone_digits():
    assert n.phone_digits("+1 (234) 567-8900") == "12345678900"
    assert n.phone_digits("none") is None


def test_tags():
    assert n.tags([" Investor ", "investor", "Book  Club", "", "  ", "2nd Tier"]) == [
        "investor",
        "book club",
        "2nd tier",
    ]
    assert n.tags(None) == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Ada  LOVELACE", "ada lovelace"),
        ("Straße", "strasse"),
        ("ＡＤＡ", "ada"),
        ("  ", ""),
        (None, ""),
        ("Jürgen", "jürgen"),
        ("ﬁle", "file"),
    ],
)
def test_fold(raw, expected):
    assert n.fold(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://www.linkedin.com/in/Ada-Lovelace/", "ada-lovelace"),
        ("linkedin.com/in/ada?trk=x", "ada"),
        ("https://linkedin.com/mwlite/in/j%C3%BCrgen", "jürgen"),
        ("ACoAAB1234", "ACoAAB1234"),
        ("Plain-Slug", "plain-slug"),
        ("https://example.com/ada", None),
        ("two words", None),
        ("vbscript:msgbox", None),
        ("javascript:alert(1)", None),
        ("https://www.linkedin.com/in/a%20b", None),
        ("", None),
        (None, None),
    ],
)
def test_linkedin_profile_id(raw, expected):
    assert n.linkedin_profile_id(raw) == expected


def test_linkedin_url_and_names():
    assert n.linkedin_url(" https://www.linkedin.com/in/ada/ ") == "https://www.linkedin.com/in/ada"
    assert n.linkedin_url("  ") is None
    assert n.full_name("  Ada   Lovelace ", "X", "Y") == "Ada Lovelace"
    assert n.full_name(None, " Ada ", "Lovelace") == "Ada Lovelace"
    assert n.full_name("", None, "Lovelace") == "Lovelace"
    assert n.full_name(None, None, None) is None
    assert (
        n.first_name(None, "Ada Lovelace") == "Ada" and n.first_name("Augusta", "Ada Lovelace") == "Augusta"
    )
    assert n.first_name(None, None) is None


# ------------------------------------------------------------------ parse_contact


def test_parse_contact_is_partial_and_none_clears():
    assert parse_contact({}) == {}
    assert parse_contact({"title": None, "emails": None}) == {"title": None, "emails": []}
    assert parse_contact({"title": "  "}) == {"title": None}
    assert parse_contact({"full_name": "  Ada \t Lovelace "}) == {"full_name": "Ada Lovelace"}


def test_parse_contact_normalises_every_kind_of_field():
    out = parse_contact(
        {
            "emails": ["A@X.io", "a@x.io", " b@x.io "],
            "phones": ["+1 202 555 0123", "+12025550123"],
            "tags": ["B", "a", "b"],
            "twitter_handle": "@Jack",
            "telegram_username": "@Pavel",
            "instagram_username": "@Insta",
            "priority_level": "HIGH",
            "birthday": "--1210",
            "linkedin_url": "https://www.linkedin.com/in/ada/",
            "latitude": "51.5",
            "longitude": -0.12,
            "whatsapp_phone": "020 7946 0958",
            "twitter_user_id": 12345,
        },
        phone_region="GB",
    )
    assert out["emails"] == ["a@x.io", "b@x.io"]
    assert out["phones"] == [("+1 202 555 0123", "+12025550123")]
    assert out["tags"] == ["b", "a"]
    assert (out["twitter_handle"], out["telegram_username"], out["instagram_username"]) == (
        "jack",
        "pavel",
        "insta",
    )
    assert out["priority_level"] == "high" and out["birthday"] == "12-10"
    assert out["linkedin_url"] == "https://www.linkedin.com/in/ada" and out["linkedin_profile_id"] == "ada"
    assert (out["latitude"], out["longitude"]) == (51.5, -0.12)
    assert out["whatsapp_phone"] == "+442079460958" and out["twitter_user_id"] == "12345"


def test_parse_contact_lists_every_bad_field_at_once_with_a_hint():
    with pytest.raises(ValidationError) as e:
        parse_contact(
            {
                "emails": ["nope"],
                "birthday": "31-31",
                "priority_level": "urgent",
                "shoe": 42,
                "latitude": "north",
                "full_name": ["not", "text"],
            }
        )
    fields = [f["field"] for f in e.value.details["fields"]]
    assert sorted(fields) == sorted(["shoe", "emails", "birthday", "priority_level", "latitude", "full_name"])
    assert e.value.code == "validation_error" and e.value.hint
    assert e.value.message.startswith("shoe")  # unknown keys first
    assert "contact fields:" in e.value.hint


@pytest.mark.parametrize(
    "data, field",
    [
        ({"priority_level": None}, "priority_level"),
        ({"linkedin_profile_id": "https://example.com/x"}, "linkedin_profile_id"),
        ({"longitude": 181}, "longitude"),
        ({"phones": ["+"]}, "phones"),
        ({"tags": [1, 2]}, "tags"),
        ({"notes": True}, "notes"),
    ],
)
def test_parse_contact_refuses(data, field):
    with pytest.raises(ValidationError) as e:
        parse_contact(data)
    assert [f["field"] for f in e.value.details["fields"]] == [field]
    assert e.value.hint


def test_protectable_fields_are_contact_fields():
    from pcrm.domain.contact_input import ALL_FIELDS

    assert set(PROTECTABLE) <= set(ALL_FIELDS)


def test_the_invisible_characters_are_every_format_character() -> None:
    """INVISIBLE_RANGES holds every character of Unicode category Cf this Python knows, and nothing else
    this Python knows [search-spellings]: a newer Unicode adding one fails here until it is added."""
    import sys
    import unicodedata

    listed = {cp for a, b in n.INVISIBLE_RANGES for cp in range(a, b + 1)}
    known = {cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"}
    assert known <= listed
    assert {unicodedata.category(chr(cp)) for cp in listed - known} <= {"Cn"}  # assigned by Unicode 15


def test_search_fold_drops_invisible_characters() -> None:
    assert n.search_fold("A\u200bda Love\u00adlace") == "ada lovelace"
    assert n.search_fold("Ada \u200b\u200d Lovelace\u200e") == "ada lovelace"  # no space doubled or left
    assert n.search_fold("\ufeffZoë") == "zoe"
    assert n.fold("A\u200bda") == "a\u200bda"  # name_fold (import matching) keeps them


def test_search_documents_hold_the_umlaut_spelling() -> None:
    assert n.search_document("Hans Müller") == "hans muller mueller"
    assert n.search_document("MÜLLER-Lüdenscheidt Bäcker") == (
        "muller-ludenscheidt backer mullerludenscheidt muellerluedenscheidt baecker"
    )
    assert n.search_document("Mu\u0308ller") == "muller mueller"  # a combining diaeresis
    assert n.search_document("Zoë Noël Strauß") == "zoe noel strauss"  # no umlaut
    assert n.search_document("Manuel Mueller") == "manuel mueller"
    assert n.umlaut_spelling("jürgen schröder") == "juergen schroeder"
    assert n.umlaut_spelling("manuel") is None


def test_umlaut_text_spellings() -> None:
    """Message text is searched as written: each word of 3+ characters in the other spelling of its umlauts,
    both ways; never the plain letter, never a form under 3 characters."""
    assert n.umlaut_text_spellings("mueller") == ["müller"]
    assert n.umlaut_text_spellings("müller") == ["mueller"]
    assert n.umlaut_text_spellings("herr mueller") == ["herr müller"]
    assert n.umlaut_text_spellings("grüsse aus köln") == [  # casefolded: "ß" is "ss"
        "grüsse aus koeln",
        "gruesse aus köln",
        "gruesse aus koeln",
    ]
    assert n.umlaut_text_spellings("muller") == n.umlaut_text_spellings("ada") == []
    assert n.umlaut_text_spellings("sue") == []  # "sü" is too short for the index
    assert n.umlaut_text_spellings("ue mueller") == ["ue müller"]  # a short word is left as typed
    assert len(n.umlaut_text_spellings("ae oe ue aee oee uee mueller moeller", limit=4)) == 4


def test_ampersand_forms() -> None:
    assert n.ampersand_forms("procter&gamble") == ["proctergamble", "procter & gamble"]
    # not "att" (in Matthew, attorney, attend); with one "&", as "AT&T" is written
    assert n.ampersand_forms("at&&t") == ["at & t", "at&t"]
    assert n.ampersand_forms("at&t") == ["at & t"]
    assert n.ampersand_forms("procter&&gamble") == ["proctergamble", "procter & gamble", "procter&gamble"]
    assert n.ampersand_forms("&co") == n.ampersand_forms("ada&") == n.ampersand_forms("ada") == []
    assert n.has_other_spellings("h&m") and n.has_other_spellings("müller")
    assert not n.has_other_spellings("muller") and not n.has_other_spellings("&")


def test_avatar_path_stays_inside_the_avatars_folder(pcrm_home) -> None:
    from pcrm import paths

    assert paths.avatar_path("/static/avatars/abc.png") == pcrm_home / "avatars" / "abc.png"
    for url in (
        None,
        "",
        "https://example.com/a.png",
        "/static/avatars/",
        "/static/avatars/../pcrm.db",
        "/static/avatars/x/y.png",
        "/static/avatars/.hidden",
    ):
        assert paths.avatar_path(url) is None, url


def test_avatar_path_refuses_a_nul(pcrm_home) -> None:
    from pcrm import paths

    assert paths.avatar_path("/static/avatars/a\x00.png") is None


_PROFILE_INPUTS = [
    "ada-lovelace",
    "Ada_Lovelace-1",
    "ACoAAB12cd",
    "https://www.linkedin.com/in/Ada-Lovelace",
    "https://www.linkedin.com/in/ada-lovelace/",
    "http://linkedin.com/in/ada?trk=x#top",
    "HTTPS://UK.LINKEDIN.COM/IN/ADA/details/experience/",
    "//linkedin.com/in/ada",
    "linkedin.com/in/ada",
    "www.linkedin.com/mwlite/in/ada",
    "linkedin.com./in/ada",
    "https://linkedin.com:443/in/ada",
    "https:linkedin.com/in/ada",
    "javascript://linkedin.com/in/ada",
    "https://linkedin.com.evil.example/in/ada",
    "https://evil.example/#linkedin.com/in/ada",
    "https://user@linkedin.com/in/ada",
    "https://linkedin.com/in/ada lovelace",
    "https://linkedin.com/in/ada%C3%A9",
    "https://linkedin.com/in/adé",
    "https://www.linkedin.com/in/anita-Müller-4",
    "https://www.linkedin.com/in/louis-fernández-10/?trk=x",
    "linkedin.com/in/王小明",
    "https://www.linkedin.com/in/zoe\u0308",  # a combining mark: not a word character
    "https://www.linkedin.com/in/adé lovelace",
    "https://www.linkedin.com/in/adé%20b",
    "https://linkedin.com:443/in/adé",
    "https://linkedin.com.evil.example/in/adé",
    "https://user@linkedin.com/in/adé",
    "https://www.linkedin.com/in/x²",
    "https://www.linkedin.com/in/a\u00a0b",
    "https://linkedin.com/company/acme",
    "https://linkedin.com/in/",
    "ada lovelace",
    "ada\x07",
    "-",
]


@pytest.mark.parametrize("value", _PROFILE_INPUTS)
def test_the_fast_profile_path_agrees_with_the_parsed_one(value: str) -> None:
    # the regex shortcuts for plain addresses must give what splitting the URL gives
    assert n.linkedin_profile_id(value) == n._profile_id_parsed(value.strip())
    assert n.linkedin_profile_id("  " + value + " ") == n.linkedin_profile_id(value.strip())


def test_visible_drops_invisible_format_characters_but_keeps_spelling_joiners() -> None:
    from pcrm.domain.normalize import visible

    assert visible("A\u200bda\u00ad \ufeffLove\u2060lace\u200e") == "Ada Lovelace"
    assert visible("Ada\u200d Lovelace") == "Ada Lovelace"  # a joiner next to ASCII is what a paste left
    assert visible("می\u200cخواهم") == "می\u200cخواهم"  # spelling in Persian
    assert visible("\U0001f469\u200d\U0001f4bb") == "\U0001f469\u200d\U0001f4bb"  # one emoji
    assert visible("plain ascii") == "plain ascii"
