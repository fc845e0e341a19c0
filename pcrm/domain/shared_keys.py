"""When a key two records share may join them [shared-keys], and what of a folded record is kept aside
[import-matching]: pure rules, the same for the resolver, imports and the tier-1 pass.

A key is an email, a phone or a platform identity. A platform's own permanent account id (ACCOUNT_IDS:
a Telegram, X, Facebook or Instagram user id, a LinkedIn member id) names one account, so it joins its
holder whatever the names say (the user may have renamed the contact); so does a LinkedIn profile slug or
a WhatsApp number held by a contact the user renamed. Any other key joins two
records only when their names agree (`identity_names.name_agreement`): the same name, or, for an email
or a handle, a name that agrees only through an initial or a nickname of two names ("Chris"); a phone,
which a household shares, needs the same name. Otherwise the pair is for the user to review, the key
named as the reason. A phone held by SHARED_LINE or more contacts (an office line, a family landline, a
switchboard) is a shared line: it joins nobody on its own and is no reason to ask.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pcrm.domain.field_keys import field_key
from pcrm.domain.identity_names import SAME, WEAK, Name, name_agreement, parse_name
from pcrm.domain.models import IDENTITIES, NUMERIC_IDS, display_name
from pcrm.domain.name_parts import given_and_family
from pcrm.domain.normalize import fold, full_name, spelling

SHARED_LINE = 3  # a phone held by this many contacts or more is a shared line
# [shared-keys]: the identity fields that are a platform's own permanent id of one account, never given to
# another person (the numeric Telegram, X, Facebook and Instagram ids); a LinkedIn member id ("ACo...") is
# one too. A LinkedIn profile slug and a WhatsApp number are ids of one account at a time, but the person
# may change them and another may take them up (a released vanity address, a recycled number): like
# handles they follow the names, except on a contact the user renamed (`Hit.renamed`).
ACCOUNT_IDS = NUMERIC_IDS
REASSIGNABLE_IDS = frozenset(
    f for f, (_platform, column) in IDENTITIES.items() if column == "external_id" and f not in ACCOUNT_IDS
)


def is_account(h: Hit[Any]) -> bool:
    """Whether a hit is on an id that names its holder's account whatever the names say [shared-keys]."""
    if h.key in ACCOUNT_IDS or (h.key == "linkedin_profile_id" and h.value.startswith("ACo")):
        return True
    return h.renamed and h.key in REASSIGNABLE_IDS


H = TypeVar("H", bound=Hashable)


def is_shared_line(holders: int) -> bool:
    """Whether a phone held by this many different contacts is a shared line."""
    return holders >= SHARED_LINE


def name_of(row: Mapping[str, Any]) -> Name:
    """The comparable name of a contact or record (full name, else given + family), false when none."""
    name = full_name(row.get("full_name"), row.get("given_name"), row.get("family_name"))
    return _parse(name) if name else Name()


@lru_cache(maxsize=4096)
def _parse(name: str) -> Name:
    # an import compares each row's name with its holder's, usually the same string: parse it once
    return parse_name(name)


@dataclass(frozen=True, slots=True)
class Hit(Generic[H]):
    """A key of an incoming record that a contact already holds."""

    key: str  # "email", "phone" or the identity field ("telegram_user_id", ...)
    value: str
    holder: H
    # the holder's name first, then the names it is also known by (nicknames); () when it has none
    names: tuple[Name, ...]
    holders: int = 1  # phones: how many different contacts hold the number
    # the holder's name is one the user gave it (an edited full name [protected-fields]): a source's own
    # name for the person no longer has to agree with it
    renamed: bool = False

    def agrees(self, name: Name) -> bool:
        """Whether a record's name may join the holder on this key [shared-keys]: it agrees with the
        holder's name or with one of the names the holder is also known by."""
        return not self.names or any(joins(name, other, self.key) for other in self.names)

    @property
    def shared_line(self) -> bool:
        return self.key == "phone" and is_shared_line(self.holders)

    def reason(self) -> dict[str, str]:
        """The reason a queued pair shows [review-queue]: which key the two share."""
        return {"key": self.key, "value": self.value}


@dataclass(slots=True)
class Decision(Generic[H]):
    """Where a record goes: the holder it joins (None: a contact of its own) and the holders whose
    names conflict with it (joined by an account id: every other holder), each with the first key that
    links them (pairs for review)."""

    match: H | None = None
    conflicts: list[Hit[H]] = field(default_factory=list)


def joins(a: Name, b: Name, key: str) -> bool:
    """Whether a key two records hold may join them, by their names [shared-keys]: the same name for a
    phone (a household's landline: "Chris Evans" may be Christine), and for an email or a handle also a
    name that agrees only through an initial or a nickname of two names."""
    agreement = name_agreement(a, b)
    return agreement == SAME or (agreement == WEAK and key != "phone")


def compatible(name: Name, names: Iterable[Name], key: str) -> bool:
    """Whether a name agrees with every name of the other side for this key [shared-keys]."""
    return all(joins(name, other, key) for other in names)


def decide(
    name: Name,
    hits: Sequence[Hit[H]],
    *,
    rejected: Callable[[H, H], bool] | None = None,
    accounts: bool = True,
) -> Decision[H]:
    """The [shared-keys] rule for one record whose keys other contacts hold (`hits`, in matching order:
    emails, platform identities, phones). A record whose account id a contact holds is that contact's
    (`_by_account`). Otherwise the first holder whose name, or one of the names it is also
    known by, agrees is the record's contact, unless another agreeing holder of the same key carries
    exactly the record's name (a "Mrs Kim" row with the Kims' landline is Mrs Kim's, not a "Kim" of the
    same line); holders whose names do not agree are returned once each, with their first shared key.
    Shared lines are skipped: they neither join nor conflict.

    [rejected-pairs]: the two halves of an unmerged (rejected, `rejected(a, b)`) pair may share an email;
    a compatible holder of the record's platform identity then wins over the email's holder, as it does
    when it holds the email too.

    `accounts` False (a file that cannot vouch for the ids it gives: a CSV of another program [own-exports]):
    an account id joins as any key does, only a holder whose name agrees; another is a pair for review."""
    account = next((h for h in hits if is_account(h)), None) if accounts else None
    if account is not None:
        return _by_account(account, hits)
    out: Decision[H] = Decision()
    seen: set[H] = set()
    agreeing: set[H] = set()
    first: Hit[H] | None = None
    for h in hits:
        if h.shared_line or h.holder in seen:
            continue
        seen.add(h.holder)
        if h.agrees(name):
            agreeing.add(h.holder)
            first = first or h
        else:
            out.conflicts.append(h)
    if first is None:
        return out
    out.match = next(
        (
            h.holder
            for h in hits
            if (h.key, h.value) == (first.key, first.value)
            and h.holder in agreeing
            and h.names[:1] == (name,)
        ),
        first.holder,
    )
    if first.key == "email":
        email_holders = {h.holder for h in hits if h.key == "email"}
        by_identity = next(
            (h.holder for h in hits if h.key not in ("email", "phone") and h.agrees(name)),
            None,
        )
        if (
            by_identity is not None
            and by_identity != out.match
            and (by_identity in email_holders or (rejected is not None and rejected(out.match, by_identity)))
        ):
            out.match = by_identity
    return out


def _by_account(account: Hit[H], hits: Sequence[Hit[H]]) -> Decision[H]:
    """A record whose account id (the first of `hits` that `is_account`) a contact holds: that contact's,
    whatever the names say, since the id names one account and the user may have renamed its contact
    ("Grandpa Joe"). Every other holder of one of its keys, but a shared line's, is a pair for review with
    the first key they share, as a conflicting holder is: the account's holder and an agreeing namesake
    holding its email are likely one person in two contacts, which the user (or the scan) should see."""
    out: Decision[H] = Decision(match=account.holder)
    seen = {account.holder}
    for h in hits:
        if h.shared_line or h.holder in seen:
            continue
        seen.add(h.holder)
        out.conflicts.append(h)
    return out


# ---------------------------------------------------------------- values kept aside [import-matching]

# A record folded into a contact that already has a different value keeps it as a contact_fields row, in
# the vCard shape pcrm's vCard export writes and its import reads back (so a kept value survives a round
# trip): another spelling of the name is a `nickname` (NICKNAME, "other names the person goes by");
# another birthday a `date` labelled birthday (X-ABDATE, as Apple writes other dates; YYYY-MM-DD or
# --MM-DD); another location an `address` with the text as its locality (ADR); another company an `org`
# (X-PCRM-ORG, as for an ORG that no longer matches the company); another title or note the property
# verbatim (`prop` TITLE, `x` X-PCRM-NOTE). Given and family names travel with the full name they make.
KEPT_FIELDS = ("full_name", "birthday", "location", "company", "title", "notes")


def _vtext(text: str) -> str:
    """vCard text escaping (as formats.vcard_text.escape): the form contact_fields keeps values in."""
    t = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n").replace(",", "\\,")
    return t.replace(";", "\\;")


def kept_field(field: str, value: str) -> dict[str, Any]:
    """The contact_fields row (kind, label, value) that keeps another value of a field."""
    v = value.strip()
    if field == "full_name":
        return {"kind": "nickname", "label": None, "value": v}
    if field == "birthday":
        return {"kind": "date", "label": "birthday", "value": v if len(v) > 5 else f"--{v}"}
    if field == "location":
        return {"kind": "address", "label": None, "value": f";;;{_vtext(v)};;;"}
    if field == "company":
        return {"kind": "org", "label": None, "value": _vtext(v)}
    if field == "title":
        return {"kind": "prop", "label": None, "value": f"TITLE:{_vtext(v)}"}
    if field == "tags":
        return {"kind": "x", "label": None, "value": f"X-PCRM-TAG:{_vtext(v)}"}
    if field == "linkedin_headline":
        return {"kind": "x", "label": None, "value": f"X-PCRM-HEADLINE:{_vtext(v)}"}
    if field == "priority_level":  # not X-PCRM-PRIORITY, which a vCard export writes for the contact's own
        return {"kind": "x", "label": None, "value": f"X-PCRM-OTHER-PRIORITY:{_vtext(v)}"}
    return {"kind": "x", "label": None, "value": f"X-PCRM-NOTE:{_vtext(v)}"}


def kept_name_parts(given: str | None, family: str | None) -> dict[str, Any]:
    """The contact_fields row that keeps another given and family name: vCard's N (family;given;;;), the
    `n` field a vCard import keeps an N in."""
    return {
        "kind": "n",
        "label": None,
        "value": f"{_vtext((family or '').strip())};{_vtext((given or '').strip())};;;",
    }


def kept_over_edits(
    current: Mapping[str, Any], incoming: Mapping[str, Any], edited: Iterable[str]
) -> list[dict[str, Any]]:
    """What a record brings for a field the user edited by hand that neither `kept_values` (a differing
    value of a filled name, birthday, location, company, title or notes) nor the engine's emptied-field rule
    keeps [protected-fields]: a headline that differs, given and family names that differ, and the tags the
    contact does not carry (a tag kept is not added, so a tag the user took off does not come back)."""
    hand = set(edited)
    out: list[dict[str, Any]] = []
    new = incoming.get("linkedin_headline")
    if "linkedin_headline" in hand and new not in (None, ""):
        old = current.get("linkedin_headline")
        if old in (None, "") or fold(str(old)) != fold(str(new)):
            out.append(kept_field("linkedin_headline", str(new)))
    parts = ("given_name", "family_name")
    name = incoming.get("full_name")
    # parts of another full name travel with it (kept as a nickname by `kept_values`)
    if (
        hand & set(parts)
        and (name in (None, "") or _same("full_name", current.get("full_name") or "", name))
        and any(
            incoming.get(f) not in (None, "")
            and fold(str(incoming.get(f))) != fold(str(current.get(f) or ""))
            for f in parts
            if f in hand
        )
    ):
        out.append(kept_name_parts(incoming.get("given_name"), incoming.get("family_name")))
    if "tags" in hand:
        held = set(current.get("tags") or ())
        out += [kept_field("tags", t) for t in incoming.get("tags") or () if t not in held]
    return out


def name_parts_over(
    current: Mapping[str, Any],
    incoming: Mapping[str, Any],
    edited: Iterable[str],
    kept_aside: Callable[[], Iterable[str]] = lambda: (),
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What a record bringing other given and family names for a contact of the same full name does with
    them [name-parts]: the parts it splits that name into replace the contact's where they differ and the
    user never typed them (the updates), when it brings every part the contact holds; a partial split that
    differs ("N:;Maria;;;" for a "Maria Garcia Lopez" held as Maria Garcia, Lopez), and one differing from
    the parts typed when the contact was added here (source manual, parts other than its name gives), is
    kept aside as name parts (the kept rows), never dropped. Parts edited since are `kept_over_edits`' to
    keep; empty parts are filled as any empty field is. The parts replaced (unless they are the ones the full
    name gives, which no source wrote) are kept aside as name parts, and a
    split the contact keeps aside so (`kept_aside`: its `n` fields' values) replaces nothing: two sources
    splitting one name two ways, imported by turns, change the contact once, not on every import."""
    parts = ("given_name", "family_name")
    if all(incoming.get(f) in (None, "", current.get(f)) for f in parts):
        return {}, []  # no other part (most records of a re-import): nothing to compare
    name = incoming.get("full_name")
    if name not in (None, "") and not _same("full_name", current.get("full_name") or "", name):
        return {}, []  # parts of another full name travel with it (kept as a nickname)
    brought = [str(incoming[f]) for f in parts if incoming.get(f) not in (None, "")]
    whole = fold(str(name or current.get("full_name") or ""))
    if len(brought) == 1 and fold(brought[0]) == whole:
        return {}, []  # the whole name in one part (Telegram's first name "Ada Lovelace"): no split
    hand = set(edited)
    differ = [
        f
        for f in parts
        if incoming.get(f) not in (None, "")
        and current.get(f) not in (None, "")
        and fold(str(incoming.get(f))) != fold(str(current.get(f)))
    ]
    if not differ or hand & set(differ):
        return {}, []
    held = (current.get("given_name") or None, current.get("family_name") or None)
    typed = current.get("source") == "manual" and held != given_and_family(current.get("full_name"))
    if not typed and all(
        incoming.get(f) not in (None, "") for f in parts if current.get(f) not in (None, "")
    ):
        given = incoming.get("given_name") or current.get("given_name")
        family = incoming.get("family_name") or current.get("family_name")
        if _split(kept_name_parts(given, family)["value"]) in {_split(v) for v in kept_aside()}:
            return {}, []  # a split this contact was given before and moved from: it stays kept aside
        # the parts replaced are kept aside, but not those pcrm read off the name itself (no source's)
        derived = held == given_and_family(current.get("full_name"))
        return {f: incoming[f] for f in differ}, [] if derived else [kept_name_parts(*held)]
    return {}, [kept_name_parts(incoming.get("given_name"), incoming.get("family_name"))]


def parts_not_filled(
    current: Mapping[str, Any], incoming: Mapping[str, Any], taken: Iterable[str]
) -> list[str]:
    """The contact's empty name parts a record of the same full name must not fill [name-parts]: where its
    split differs from a part the contact holds and keeps (`taken`: the parts `name_parts_over` replaced),
    the rest of that split is kept aside with it, not put beside the contact's own parts ("Jean Claude",
    typed, and a card's family name "Claude Van Damme" named nobody)."""
    parts = ("given_name", "family_name")
    empty = [f for f in parts if current.get(f) in (None, "") and incoming.get(f) not in (None, "")]
    if not empty:  # most rows, a rerun's every row: nothing to fill, so nothing to hold back
        return []
    name = incoming.get("full_name")
    if name not in (None, "") and not _same("full_name", current.get("full_name") or "", name):
        return []
    kept = set(taken)
    if not any(
        f not in kept
        and incoming.get(f) not in (None, "")
        and current.get(f) not in (None, "")
        and fold(str(incoming.get(f))) != fold(str(current.get(f)))
        for f in parts
    ):
        return []
    return empty


def _split(n_value: str) -> tuple[str, str]:
    """An `n` field's family and given names (vCard N's first two components), folded for comparing."""
    family, given = ([*_N_PARTS.split(n_value, 2), "", ""])[:2]
    return fold(_unvtext(family)), fold(_unvtext(given))


_N_PARTS = re.compile(r"(?<!\\);")


def _unvtext(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _same(field: str, old: Any, new: Any) -> bool:
    """Whether a record's value is the one the contact holds: up to case and whitespace, and for a name its
    emoji presentation selectors; a name spelled otherwise in anything shown (an emoji, a symbol,
    punctuation, an accent, an honorific, the order of its words) is another name of the person, kept
    [import-matching]."""
    if field == "full_name":
        return spelling(str(old)) == spelling(str(new))
    return fold(str(old)) == fold(str(new))


_WORDS = re.compile(r"\w+")


def part_of_name(name: str, part: str) -> bool:
    """Whether `part` is some of the words of `name`, fewer than all ("Grace" of "Grace Hopper", "Hopper" of
    "Hopper, Grace"; case aside, each word as often as `name` has it): a name that says nothing the contact's
    own name does not [import-matching]."""
    have, words = Counter(_WORDS.findall(fold(name))), Counter(_WORDS.findall(fold(part)))
    return bool(words) and words.total() < have.total() and not words - have


def name_shown_already(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    """Whether the record's full name is the name a contact holding none is shown by: its given and family
    names, else its first email, phone or handle [display-name]. pcrm's own exports and lists write that
    name (a vCard's FN, a list's `name`), so it is no name of the person's to fill in or keep aside
    [list-csv]: held already, as a name the contact has is."""
    new = incoming.get("full_name")
    if new in (None, "") or str(current.get("full_name") or "").strip():
        return False
    return spelling(str(new)) == spelling(display_name(current))


def kept_values(
    current: Mapping[str, Any],
    incoming: Mapping[str, Any],
    *,
    replaced: Iterable[str] = (),
    name_parts_held: bool = False,
) -> list[dict[str, Any]]:
    """The values of `incoming` that differ from a filled field of `current`, as contact_fields rows:
    what a fold would otherwise drop. An empty field of `current` is filled, not kept; `replaced` are
    fields the source owns, whose new value replaces the old one; with `name_parts_held` (an import), a
    name that is part of the contact's name is held already (`part_of_name`)."""
    skip = set(replaced)
    out: list[dict[str, Any]] = []
    for f in KEPT_FIELDS:
        new, old = incoming.get(f), current.get(f)
        if f in skip or new in (None, "") or old in (None, "") or _same(f, old, new):
            continue
        if f == "full_name" and name_parts_held and part_of_name(str(old), str(new)):
            continue
        out.append(kept_field(f, str(new)))
    return out


def holds_all(current: Mapping[str, Any], incoming: Mapping[str, Any], fields: set[tuple[str, str]]) -> bool:
    """Whether a contact already holds every value a record brings (its own fields, or values kept
    aside from an earlier fold, `fields` as (kind, value)): a record that adds nothing, such as the
    same row imported again."""
    for f in (*KEPT_FIELDS, "given_name", "family_name", "linkedin_url"):
        new = incoming.get(f)
        if new in (None, ""):
            continue
        old = current.get(f)
        if old not in (None, "") and _same(f, old, new):
            continue
        if f in KEPT_FIELDS:  # held aside (a company or title kept with its position [job-changes])
            kept = kept_field(f, str(new))
            key = field_key(kept["kind"], kept["value"])
            if any(field_key(*have) == key for have in fields):
                continue
        if f in ("given_name", "family_name") and incoming.get("full_name") and old in (None, ""):
            continue  # the parts of a name the contact holds whole
        if f in ("given_name", "family_name") and _holds(
            fields, kept_name_parts(incoming.get("given_name"), incoming.get("family_name"))
        ):
            continue  # held aside: the user had typed other names [protected-fields]
        return False
    tags = set(current.get("tags") or ())
    return all(t in tags or _holds(fields, kept_field("tags", t)) for t in incoming.get("tags") or ())


def _holds(fields: set[tuple[str, str]], kept: Mapping[str, Any]) -> bool:
    key = field_key(kept["kind"], kept["value"])
    return any(field_key(*have) == key for have in fields)
