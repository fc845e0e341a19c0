"""Validating parsed records before anything is written: each contact record normalised through
`parse_contact` [value-normalisation], row errors for what is dropped, and the `--strict` refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from orjson import OPT_SORT_KEYS, dumps

from pcrm.domain import normalize as n
from pcrm.domain.contact_input import IDENTITY_INPUTS, parse_contact
from pcrm.domain.dates import KEPT_BIRTHDAY, birthday_refusal
from pcrm.domain.mojibake import repair
from pcrm.domain.records import ContactRecord
from pcrm.domain.wording import counted
from pcrm.errors import BadRequest, ValidationError
from pcrm.formats.base import Options, Parsed
from pcrm.formats.vcard_text import escape, words_phone, words_phone_label


def row_error(at: int | str, where: str, message: str) -> str:
    """A problem with one record, as the import report lists it [import-report]: `at` is the record's row
    (its `ContactRecord.at`: "Row 4", "Card 3 (Ada Lovelace)", or a row number), `where` the member file."""
    said = f"Row {at}" if isinstance(at, int) else at
    return f"{where}: {said}: {message}" if where else f"{said}: {message}"


SHOWN = 80  # the most characters of a value a row error quotes


def shown(value: object) -> str:
    """A value as a row error quotes it: its repr, cut to SHOWN characters with the length said (a 3 MB
    note must not come back whole in the report)."""
    text = repr(value)
    if len(text) <= SHOWN:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return f"{text[:SHOWN]}...{size}"


def validate(
    parsed: Parsed, opts: Options, memo: dict[bytes, dict[str, Any] | None] | None = None
) -> list[dict[str, Any] | None]:
    """Normalise every contact record through parse_contact [value-normalisation]: per record, in order, the
    normalised input, or None for a record that is refused. Bad values are dropped with a row error; a
    record with nothing that identifies a person is refused with a row error. `memo` (shared by the batches
    of one sync run) keeps the outcome per record content: a record re-sent unchanged is not validated (nor
    its row errors reported) again."""
    latest = _latest_birthday()
    for rec in parsed.contacts:
        misread_repaired(rec)
        _emails_aside(rec)
        _phones_aside(rec, opts)
        _birthday_aside(rec, latest)
        _profile_from_links(rec)
        _identities_aside(rec, opts, parsed.errors)
    if memo is None:
        return [_validate_one(rec, opts, parsed.errors) for rec in parsed.contacts]
    out: list[dict[str, Any] | None] = []
    for rec in parsed.contacts:
        try:
            key = dumps(rec.data, option=OPT_SORT_KEYS)
        except TypeError:
            out.append(_validate_one(rec, opts, parsed.errors))
            continue
        if key not in memo:
            memo[key] = _validate_one(rec, opts, parsed.errors)
        ch = memo[key]
        out.append(dict(ch) if ch is not None else None)
    return out


NOT_AN_ADDRESS = (
    "X-PCRM-EMAIL"  # the extra field an e-mail value that is no address lives in [not-an-address]
)


MISREAD = "X-PCRM-MISREAD"  # the extra field a repaired value keeps its text as the file wrote it [mojibake]
# the short fields that name or place a person, repaired when misread; free text (notes, bios, "about")
# and message bodies stay as the source wrote them [mojibake]
REPAIRED = (
    "full_name",
    "given_name",
    "family_name",
    "company",
    "title",
    "location",
    "linkedin_headline",
    "whatsapp_name",
    "facebook_name",
)
_REPAIRED_KINDS = ("nickname", "org")  # extra fields that are names too: other names, other companies


def misread_repaired(rec: ContactRecord) -> None:
    """A name, company, title or other short identity value that is UTF-8 misread as Windows-1252 or
    Latin-1 ("JosÃ©") is repaired ("José") when `mojibake.repair` finds that unambiguous [mojibake]; the
    value as the file wrote it is kept in an `x` field (`X-PCRM-MISREAD;FIELD=<field>`), so nothing is
    lost and the import report counts it (`text_repaired`). A misread full name is also the record's
    earlier reading: a contact an earlier import named so takes the repaired name, and a name-only record
    finds it. Done on every record, the memo's repeats included (it changes what the record writes)."""
    kept: list[tuple[str, str]] = []
    for key in REPAIRED:
        value = rec.data.get(key)
        if isinstance(value, str) and not value.isascii() and (fixed := repair(value)) != value:
            rec.data[key] = fixed
            kept.append((key, value))
    for f in rec.fields:
        value = f["value"]
        if (
            f["kind"] in _REPAIRED_KINDS
            and isinstance(value, str)
            and not value.isascii()
            and (fixed := repair(value)) != value
        ):
            f["value"] = fixed
            kept.append((f["kind"], value))
    if not kept:
        return
    held = {f["value"] for f in rec.fields if f["kind"] == "x"}
    for key, value in kept:
        line = f"{MISREAD};FIELD={key}:{escape(value)}"
        if line not in held:
            held.add(line)
            rec.fields = [*rec.fields, {"kind": "x", "label": None, "value": line}]
    was = dict(kept)
    d = rec.data
    name = was.get("full_name")
    if not d.get("full_name") and ("given_name" in was or "family_name" in was):
        # the name the parts make, as the file wrote them
        name = n.full_name(
            None, was.get("given_name", d.get("given_name")), was.get("family_name", d.get("family_name"))
        )
    if rec.earlier is None and name:
        rec.earlier = {"full_name": name}
        if "company" in was:
            rec.earlier["company"] = was["company"]


def repaired_count(fields: list[Any]) -> int:
    """How many values of a record `misread_repaired` repaired (the report's `text_repaired`)."""
    return sum(1 for f in fields if f["kind"] == "x" and str(f["value"]).startswith(f"{MISREAD};"))


def _not_an_address(value: object) -> bool:
    ne = n.email(value) if isinstance(value, str) else None
    return bool(ne) and not n.is_email(ne or "")


def _written(value: object) -> bool:
    """Whether an e-mail value may be written with a name, in quotes or as a link (cheap: most are plain
    addresses)."""
    return isinstance(value, str) and ("<" in value or ":" in value or '"' in value)


def _addresses_read(rec: ContactRecord) -> None:
    """An e-mail value written as a mail program shows it or as a link (`Ada Lovelace <ada@example.com>`,
    `mailto:ada@example.com`) is its address; the name written with it names a record that has no name,
    else it is only how a mail program showed the address [not-an-address]."""
    emails = rec.data.get("emails") or []
    if not any(_written(e) for e in emails) and not any(
        f["kind"] == "email" and _written(f["value"]) for f in rec.fields
    ):
        return
    names: list[str] = []
    read: list[object] = []
    for e in emails:
        written = n.written_address(e) if _written(e) else None
        if written:
            names.append(written[0])
            read.append(written[1])
        else:
            read.append(e)
    rec.data["emails"] = read
    for f in rec.fields:
        if f["kind"] == "email" and _written(f["value"]) and (written := n.written_address(f["value"])):
            f["value"] = written[1]
    named = next((x for x in names if x), "")
    if named and not any(rec.data.get(k) for k in ("full_name", "given_name", "family_name")):
        rec.data["full_name"] = named


def _emails_aside(rec: ContactRecord) -> None:
    """An e-mail value that is no address is kept as typed in an `x` field, not among the emails nor as an
    `email` field (the label of an address, written back as an EMAIL line) [not-an-address]. Done on every
    record, the memo's repeats included: it changes what the record writes, not what it reports."""
    _addresses_read(rec)
    bad = [e.strip() for e in rec.data.get("emails") or [] if _not_an_address(e)]
    if not bad and not any(f["kind"] == "email" and _not_an_address(f["value"]) for f in rec.fields):
        return
    kept = [f for f in rec.fields if not (f["kind"] == "email" and _not_an_address(f["value"]))]
    aside = [f"{NOT_AN_ADDRESS}:{escape(e)}" for e in dict.fromkeys(bad)]
    rec.fields = kept + [
        {"kind": "x", "label": None, "value": v}
        for v in aside
        if not any(f["kind"] == "x" and f["value"] == v for f in kept)
    ]


def _not_a_number(value: object, region: str | None) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    return n.phone_refusal(value, region) is not None  # parse_contact's rule, so it never drops the list


def _phones_aside(rec: ContactRecord, opts: Options) -> None:
    """A phone value that is no number ('pager', 'ask reception') is kept as typed in a `note` field labelled
    `tel`, as the vCard import keeps a TEL of words (written back as a TEL line), not dropped; validation
    leaves it out of the phones and says so. The label the value came with (a `phone` field of the record:
    Google's `Pager`, an Outlook column) stays with it, as `tel;pager` [csv-imports], and that `phone` field
    goes (the export would write the words twice). Done on every record, the memo's repeats included."""
    bad = [p.strip() for p in rec.data.get("phones") or [] if _not_a_number(p, opts.phone_region)]
    for value in dict.fromkeys(bad):
        labelled = [
            f
            for f in rec.fields
            if f["kind"] == "phone" and (f["value"] or "").strip() == value and f["label"]
        ]
        rec.fields = [
            f for f in rec.fields if not (f["kind"] == "phone" and (f["value"] or "").strip() == value)
        ]
        if not any(
            f["kind"] == "note" and words_phone(f.get("label"))[0] and f["value"] == value for f in rec.fields
        ):
            label = words_phone_label(labelled[0]["label"] if labelled else None)
            rec.fields = [*rec.fields, {"kind": "note", "label": label, "value": value}]


def _latest_birthday() -> date:
    """The last day an imported birthday may be: today, with a day to spare (the file's zone is unknown)."""
    from datetime import timedelta

    from pcrm import clock

    return clock.now().date() + timedelta(days=1)


def _birthday_refused(value: object, latest: date) -> str | None:
    """Why a record's birthday is none pcrm can store ("is not a real date", "is in the future"), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return birthday_refusal(value, today=latest)


def _birthday_aside(rec: ContactRecord, latest: date) -> None:
    """A birthday pcrm cannot store [kept-birthdays]: one that is no real day (`1990-13-45`, `02-30`), no
    date (`tomorrow`), or after today (`2030-01-01`, a typo of the year, which the contact services refuse
    [future-birthdays]) is kept as the source wrote it (`rec.birthday_written`, else the value) in a
    `birthday` field, as the vCard import keeps a BDAY that is no date, rather than dropped; validation
    leaves it out and says so. Done on every record, the memo's repeats included."""
    value = rec.data.get("birthday")
    if not _birthday_refused(value, latest):
        return
    text = (rec.birthday_written or str(value)).strip()
    if not any(f["kind"] == "birthday" and f["value"] == text for f in rec.fields):
        rec.fields = [*rec.fields, {"kind": "birthday", "label": None, "value": text}]


def _profile_from_links(rec: ContactRecord) -> None:
    """A web address that is a LinkedIn profile (`linkedin.com/in/<slug>`: a vCard's URL, Google's Website,
    Outlook's Web Page) is the record's `linkedin_url` when it gives none, not a plain link beside it
    [import-matching]: the profile is how Connections.csv and the LinkedIn syncs name the person, so a phone
    book's card of them and their LinkedIn row made two contacts and a question."""
    if rec.data.get("linkedin_url") or not rec.fields:
        return
    for i, f in enumerate(rec.fields):
        value = (f["value"] or "").strip() if f["kind"] == "url" else ""
        if "linkedin.com/" in value.lower() and n.linkedin_profile_id(value) and n.linkedin_url_ok(value):
            rec.data["linkedin_url"] = value
            rec.fields = rec.fields[:i] + rec.fields[i + 1 :]
            return


def _identities_aside(rec: ContactRecord, opts: Options, errors: list[str]) -> None:
    """A platform identity the record gives that names no account (a Telegram user id `abc`, an X handle `@@`)
    is kept as an extra field (`X-PCRM-TELEGRAM-USER-ID:abc`), with a row error that says so, not dropped nor
    stored as an id that joins contacts [value-normalisation] [own-exports]."""
    for k in IDENTITY_INPUTS:
        value = rec.data.get(k)
        if value in (None, ""):
            continue
        try:
            parse_contact({k: value}, phone_region=opts.phone_region)
            continue
        except ValidationError as exc:
            why = next((f["message"] for f in exc.details.get("fields", [])), "not an id of the platform")
        rec.data[k] = None
        line = f"X-PCRM-{k.upper().replace('_', '-')}:{escape(str(value))}"
        if not any(f["kind"] == "x" and f["value"] == line for f in rec.fields):
            rec.fields = [*rec.fields, {"kind": "x", "label": None, "value": line}]
        errors.append(row_error(rec.at, rec.where, f"{k} {shown(value)}: {why}; kept as an extra field"))


_NAMES_A_PERSON = ("full_name", "given_name", "family_name", "emails", "phones", *IDENTITY_INPUTS)


def _validate_one(rec: ContactRecord, opts: Options, errors: list[str]) -> dict[str, Any] | None:
    data = {k: v for k, v in rec.data.items() if v not in (None, "", [])}
    emails = []
    for e in data.pop("emails", []):
        ne = n.email(e)
        if ne and n.is_email(ne):
            emails.append(ne)
        elif ne:
            errors.append(
                row_error(
                    rec.at,
                    rec.where,
                    f"email {shown(e)} is not an email address: kept as an extra field, {NOT_AN_ADDRESS}",
                )
            )
    if emails:
        data["emails"] = emails
    phones = []
    for p in data.pop("phones", []):
        if not _not_a_number(p, opts.phone_region):
            phones.append(p)
        elif isinstance(p, str):
            errors.append(
                row_error(
                    rec.at, rec.where, f"phone {shown(p)} is not a phone number: kept as an extra field"
                )
            )
    if phones:
        data["phones"] = phones
    if why := _birthday_refused(data.get("birthday"), _latest_birthday()):  # kept aside (_birthday_aside)
        written = rec.birthday_written or data["birthday"]
        data.pop("birthday")
        errors.append(
            row_error(
                rec.at,
                rec.where,
                f"birthday {shown(written)} {why}: {KEPT_BIRTHDAY}",
            )
        )
    for _ in range(len(data) + 1):
        try:
            changes = parse_contact(data, phone_region=opts.phone_region)
            break
        except ValidationError as exc:
            bad = {f["field"]: f["message"] for f in exc.details.get("fields", [])}
            for field, message in bad.items():
                value = data.get(field)
                errors.append(
                    row_error(
                        rec.at,
                        rec.where,
                        f"ignored {field} {shown(value)}: {message}"
                        if value is not None
                        else f"ignored {field}: {message}",
                    )
                )
                data.pop(field, None)
    else:  # pragma: no cover - every round drops at least one field
        return None
    if not rec.google_resource_name and not any(  # a source id names the person too [google-sources]
        changes.get(k) for k in _NAMES_A_PERSON
    ):
        errors.append(row_error(rec.at, rec.where, "no name, email, phone or handle; row skipped"))
        return None
    if not changes.get("full_name"):
        changes["full_name"] = n.full_name(None, changes.get("given_name"), changes.get("family_name"))
    return changes


def strict_error(filename: str, errors: list[str]) -> BadRequest:
    return BadRequest(
        f"{counted(len(errors), 'row error')} in {filename}; nothing was "
        f"imported (--strict). First: {errors[0]}",
        hint="fix those rows, or import without --strict to take the good rows",
        details={"errors": errors[:200]},
    )
