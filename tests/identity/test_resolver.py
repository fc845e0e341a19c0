"""The write-time resolver [write-time-resolver]: case-insensitive reuse per axis, concurrent creates making
one
contact, and rejected pairs honoured."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pcrm.domain.contact_input import parse_contact
from pcrm.errors import Conflict
from pcrm.services import resolver
from pcrm.services.context import open_context
from tests.support.seed import add, bulk_add


def _find(ctx: Any, **data: Any) -> str | None:
    cid = resolver.find(ctx.conn, parse_contact(data, phone_region=None))
    return (
        None
        if cid is None
        else ctx.conn.execute("SELECT uuid FROM contacts WHERE id = ?", (cid,)).fetchone()[0]
    )


def test_case_insensitive_reuse_per_axis(ctx: Any) -> None:
    a = add(
        ctx,
        full_name="Ada",
        emails=["Ada@Example.com"],
        twitter_handle="@AdaL",
        telegram_username="AdaTG",
        linkedin_profile_id="ada-lovelace",
        twitter_user_id="42",
    )
    assert _find(ctx, emails=[" ADA@example.COM "]) == a
    assert _find(ctx, twitter_handle="adal") == a
    assert _find(ctx, telegram_username="@adatg") == a
    assert (
        _find(ctx, linkedin_url="https://www.linkedin.com/in/Ada-Lovelace/") == a
        or _find(ctx, linkedin_profile_id="ada-lovelace") == a
    )
    assert _find(ctx, twitter_user_id="42") == a
    assert _find(ctx, emails=["someone@else.io"]) is None
    with pytest.raises(Conflict) as exc:
        add(ctx, full_name="Other", emails=["ADA@example.com"])
    assert exc.value.details["conflicting_contact"]["id"] == a


def _find_or_create(path: Any, data: dict[str, Any], barrier: threading.Barrier, out: list[Any]) -> None:
    from pcrm.services.contacts import create_contact
    from pcrm.store.db import write

    ctx = open_context(path)
    try:
        changes = parse_contact(data, phone_region=None)
        barrier.wait()
        with write(ctx.conn):  # BEGIN IMMEDIATE: look-up and insert cannot interleave with another writer
            cid = resolver.find(ctx.conn, changes)
            if cid is None:
                created = create_contact(ctx, data).data["id"]
                out.append(("created", created))
            else:
                out.append(
                    (
                        "found",
                        ctx.conn.execute("SELECT uuid FROM contacts WHERE id = ?", (cid,)).fetchone()[0],
                    )
                )
    except Exception as exc:
        out.append(("error", repr(exc)))
    finally:
        ctx.close()


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "Ada", "emails": ["ada@example.com"]},
        {"full_name": "Ada", "twitter_user_id": "123456789"},
        {"full_name": "Ada", "linkedin_profile_id": "ada-lovelace"},
    ],
)
def test_concurrent_creates_make_one_contact(ctx: Any, data: dict[str, Any]) -> None:
    n = 6
    barrier = threading.Barrier(n)
    out: list[Any] = []
    threads = [
        threading.Thread(target=_find_or_create, args=(ctx.path, data, barrier, out)) for _ in range(n)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [o for o in out if o[0] == "error"] == []
    assert sum(1 for o in out if o[0] == "created") == 1
    assert len({o[1] for o in out}) == 1
    assert ctx.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1


def test_concurrent_plain_creates_give_one_contact_and_409s(ctx: Any) -> None:
    from pcrm.services.contacts import create_contact

    n = 5
    barrier = threading.Barrier(n)
    results: list[str] = []

    def worker() -> None:
        c = open_context(ctx.path)
        try:
            barrier.wait()
            create_contact(c, {"full_name": "Ada", "emails": ["ada@race.io"]})
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["conflict"] * (n - 1) + ["ok"]
    assert ctx.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1


def test_resolver_honours_an_unmerged_pair(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Pat Lee", emails=["pat@lee.family"])
    b = bulk_add(
        ctx, full_name="Pat Lee Jr", emails=["pat@lee.family"], identities=[("twitter", None, "patjr")]
    )
    merge_id = cli.json("contacts", "merge", a, b)["data"]["merge_id"]
    cli("contacts", "unmerge", merge_id)
    # both halves hold the shared family address again; the record's handle says which person it is
    assert _find(ctx, emails=["pat@lee.family"], twitter_handle="patjr") == b
    assert _find(ctx, emails=["pat@lee.family"]) == a
