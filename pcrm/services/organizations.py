"""Organization use cases. Core: auto-assignment from a contact's company (§9)."""

from __future__ import annotations

from pcrm.services.context import Context
from pcrm.store import contacts as cstore, organizations as store
from pcrm.store.db import rows

# §9's generic mail domains: never used as an organization's domain.
GENERIC_DOMAINS = frozenset("""
gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.co.jp hotmail.com outlook.com live.com msn.com
icloud.com me.com mac.com aol.com protonmail.com proton.me mail.ru yandex.ru yandex.com fastmail.com
hey.com tutanota.com tutamail.com zoho.com gmx.com gmx.net inbox.com mail.com qq.com 163.com 126.com sina.com
""".split())


def work_domain(emails: list[str]) -> str | None:
    """The first non-generic email domain."""
    for e in emails:
        domain = e.rsplit("@", 1)[-1].lower()
        if domain and domain not in GENERIC_DOMAINS:
            return domain
    return None


def assign_for_company(ctx: Context, cid: int, now: str) -> int | None:
    """Link a contact to the organization named by its company, creating it when needed (call inside a
    write transaction)."""
    conn = ctx.conn
    row = rows(conn, "SELECT company, organization_id FROM contacts WHERE id = ?", (cid,))[0]
    company = (row["company"] or "").strip()
    if not company:
        return None
    if row["organization_id"] is not None:
        return row["organization_id"]
    emails = cstore.fetch(conn, [cid])[0]["emails"]
    oid = store.find_by_name(conn, company)
    domain = work_domain(emails)
    if oid is None:
        oid = store.insert(conn, {"name": company, "domain": domain}, now)
    elif domain:
        org = store.get(conn, oid)
        if org and not org["domain"]:
            store.update(conn, oid, {"domain": domain}, now)
    store.link_contact(conn, cid, oid)
    return oid
