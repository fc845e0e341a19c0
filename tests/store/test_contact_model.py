"""store.contacts.fetch_contacts builds each contact from the model's specs: every key of
pcrm.domain.models.Contact, each value of the declared type, the same with and without the memo."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, create_model

from pcrm.api.schemas.contact_model import contact_fields
from pcrm.domain import models
from pcrm.services import contacts as svc
from pcrm.services.context import Context
from pcrm.store import contacts as store
from pcrm.store import memo
from pcrm.store.db import write

# the model's fields and types, checked without coercion (pydantic takes typing.TypedDict itself only
# from Python 3.12 on, so the check goes through the API's field definitions, built from the model)
STRICT: Any = create_model(
    "StrictContact", __config__=ConfigDict(extra="forbid", strict=True), **contact_fields()
)


def _full(ctx: Context) -> int:
    data = {f: None for f in models.EDITABLE if models.SPECS[f].store == "column"}
    data.update(
        full_name="Ada Lovelace",
        company="Analytical Engines",
        location="London",
        latitude=51.5,
        longitude=-0.12,
        birthday="12-10",
        priority_level="high",
        linkedin_url="https://www.linkedin.com/in/ada",
        emails=["ada@analytical.io", "ada@home.example"],
        phones=["+44 20 7946 0958"],
        tags=["math"],
        twitter_handle="ada",
        twitter_user_id=12345,
        telegram_username="ada_l",
        whatsapp_phone="+442079460958",
        instagram_username="ada.ig",
    )
    created = svc.create_contact(ctx, data).data
    cid = store.rowid_for_uuid(ctx.conn, created["id"])
    assert cid is not None
    with write(ctx.conn):
        store.update_contact(ctx.conn, cid, {"telegram_common_groups": ["a", "b"]}, ctx.now_iso())
    svc.update_contact(ctx, created["id"], {"notes": "first programmer"})
    return cid


def test_fetched_contacts_have_every_field_of_the_model_with_its_type(ctx: Context) -> None:
    full = _full(ctx)
    bare = store.rowid_for_uuid(ctx.conn, svc.create_contact(ctx, {"emails": ["x@y.io"]}).data["id"])
    assert bare is not None
    contacts = store.fetch_contacts(ctx.conn, [full, bare])
    for c in contacts:
        assert tuple(sorted(c)) == tuple(sorted(models.FIELDS))
        STRICT.model_validate(c)
    ada = contacts[0]
    assert ada["twitter_user_id"] == "12345" and ada["telegram_common_groups"] == ["a", "b"]
    assert ada["user_edited_fields"][-1] == "notes" and ada["organization_id"] is not None


def test_the_memo_and_repeated_ids_give_equal_separate_contacts(ctx: Context) -> None:
    cid = _full(ctx)
    plain = store.fetch_contacts(ctx.conn, [cid, cid])
    assert plain[0] == plain[1] and plain[0] is not plain[1]
    memo.enable(ctx.conn)
    for _ in range(2):  # the second answer comes from the memo
        remembered = store.fetch_contacts(ctx.conn, [cid, cid])
        assert remembered == plain and remembered[0] is not remembered[1]
    assert store.fetch_contacts(ctx.conn, [cid + 99]) == []
