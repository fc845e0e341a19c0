"""Extract-bio [ai-extract-bio]: `POST /contacts/{id}/extract-bio`, `pcrm contacts extract-bio`.

The model reads the contact's names, title, company and bios and answers JSON with at most the keys of
prompts.BIO_KEYS. Applying it: given and family names overwrite when different (the full name rebuilt
from them); title and company fill only empty fields; a company links the contact to its organization
[company-orgs], whose empty website, industry and location are filled.
"""

from __future__ import annotations

from typing import Any

from pcrm.domain import name_parts, prompts
from pcrm.errors import BadRequest, PcrmError
from pcrm.services.ai import models
from pcrm.services.ai.compose import dry_run_data
from pcrm.services.context import Context, Result
from pcrm.store import contacts as cstore
from pcrm.store import organizations as ostore
from pcrm.store.db import write

MAX_TOKENS = 300
_BIOS = ("twitter_bio", "telegram_bio", "linkedin_bio", "linkedin_headline")


def _contact(ctx: Context, contact_id: str) -> tuple[int, dict[str, Any]]:
    from pcrm.services.contacts import rowid

    cid = rowid(ctx, contact_id)
    c = dict(cstore.fetch_contacts(ctx.conn, [cid])[0])
    if not any(str(c.get(k) or "").strip() for k in (*_BIOS, "full_name")):
        raise BadRequest(
            "the contact has no bio and no name to read",
            hint="add a bio or a name first (pcrm contacts edit CONTACT --name ...)",
        )
    return cid, c


def plan(c: dict[str, Any], fields: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """(contact changes, organization fills) the extracted fields call for."""
    changes: dict[str, Any] = {}
    # parts that are what the full name gives (a contact added by name alone) are no reading of its own
    # [name-parts]: the model's names still rewrite the name ("Ada Lovelace | Analytical Engines")
    stored = (c.get("given_name") or None, c.get("family_name") or None)
    own = dict(zip(("given_name", "family_name"), stored, strict=True))
    if stored == name_parts.given_and_family(c.get("full_name")):
        own = {"given_name": None, "family_name": None}
    for k in ("given_name", "family_name"):
        if fields.get(k) and fields[k] != own[k]:
            changes[k] = fields[k]
    if changes:
        given = changes.get("given_name", own["given_name"]) or ""
        family = changes.get("family_name", own["family_name"]) or ""
        full = f"{given} {family}".strip()
        if full and full != c.get("full_name"):
            changes["full_name"] = full
    for k in ("title", "company"):
        if fields.get(k) and not (c.get(k) or "").strip():
            changes[k] = fields[k]
    org = {
        k[len("company_") :]: fields[k]
        for k in ("company_website", "company_industry", "company_location")
        if k in fields
    }
    return changes, org


def extract_bio(
    ctx: Context,
    contact_id: str,
    *,
    dry_run: bool = False,
    prepared: tuple[dict[str, str], str] | None = None,
) -> Result:
    """→ {fields_updated: [...], source: "ai_bio"}; dry_run: the prompt, no call, nothing written.
    `prepared`: what `read_bio` asked the model beforehand, off the daemon's writer lane
    [prepare-off-lane]; the contact is read again here, so the plan fits it as it is now."""
    if dry_run:
        _cid, c = _contact(ctx, contact_id)
        return Result(dry_run_data(models.choice(ctx, "bio"), [prompts.bio_prompt(c)]), {"dry_run": True})
    fields, model_id = prepared if prepared is not None else read_bio(ctx, contact_id)
    cid, c = _contact(ctx, contact_id)
    changes, org_fill = plan(c, fields)
    updated = list(changes)
    if changes:
        from pcrm.services.contacts import update_contact

        update_contact(ctx, c["id"], changes, user_edit=False)
    if org_fill:
        now = ctx.now_iso()
        with write(ctx.conn):
            row = cstore.company_and_org(ctx.conn, cid)
            oid = row["organization_id"]
            org = ostore.get(ctx.conn, oid) if oid is not None else None
            if org is not None:
                fill = {k: v for k, v in org_fill.items() if not org.get(k)}
                if fill:
                    ostore.update(ctx.conn, oid, fill, now)
                    updated += [f"organization.{k}" for k in fill]
    return Result({"fields_updated": updated, "source": "ai_bio"}, {"model": model_id})


def read_bio(ctx: Context, contact_id: str) -> tuple[dict[str, str], str]:
    """The model's reading of a contact's names and bios, nothing written: (the fields it found, model id)."""
    _cid, c = _contact(ctx, contact_id)
    chosen = models.require(ctx, "bio", "extract-bio")
    answer = prompts.parse_json(models.complete(chosen, prompts.bio_prompt(c), max_tokens=MAX_TOKENS))
    if not isinstance(answer, dict):
        raise PcrmError(
            "the AI model's answer was not the JSON object asked for; nothing was changed",
            code="upstream_error",
            hint=f"try again, or choose another model with `pcrm settings set {chosen.setting} MODEL`",
        )
    return prompts.bio_fields(answer), chosen.model_id
