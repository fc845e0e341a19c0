"""A batch's store look-ups are made together [batched-lookups]: the holders found for many records at once
are the holders each record finds on its own, and a record matched after the batch wrote something sees the
store as it is then, not as it was read before the batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pcrm.services import resolver
from pcrm.services.context import open_context


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("Name,Email,LinkedIn,Company\n" + "\n".join(rows) + "\n")
    return path


def test_hits_for_many_records_are_each_records_own(imp, cli, store, tmp_path):
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@a.test", "--linkedin", "ada-l")
    # another name with the same address: a contact of its own, the address shared (the pair is queued)
    imp(_csv(tmp_path / "king.csv", ["Ada King,ada@a.test,,"]))
    cli("contacts", "add", "--name", "Grace Hopper", "--email", "grace@n.test", "--telegram", "@amazing")
    cli("contacts", "add", "--name", "Grace B. Hopper", "--email", "gbh@n.test")
    cli("contacts", "merge", "Grace Hopper", "gbh@n.test")  # keeps the other name aside: a nickname
    cli("contacts", "edit", "Ada King", "--name", "Countess")  # renamed by the user
    records: list[dict[str, Any]] = [
        {"full_name": "Ada", "emails": ["ada@a.test"], "linkedin_profile_id": "ada-l"},
        {"full_name": "Grace", "emails": ["gbh@n.test", "grace@n.test"], "telegram_username": "amazing"},
        {"full_name": "Nobody", "emails": ["none@x.test"], "linkedin_profile_id": "nobody"},
        {"full_name": "Ada", "emails": ["ada@a.test", "ada@a.test"]},
        {"full_name": "Grace", "telegram_username": "amazing"},
    ]
    with open_context(store.path) as ctx:
        many = resolver.store_hits_many(ctx.conn, records)
        one_by_one = [resolver.store_hits_many(ctx.conn, [r])[0] for r in records]
        assert many == one_by_one
        # the holders are the ones the single-key look-ups give, in their order
        for rec, hits in zip(records, many, strict=True):
            alone = resolver.holders(ctx.conn, rec, emails=rec.get("emails") or ())
            assert [(h.key, h.value, h.holder) for h in hits] == [
                ("email" if f == "emails" else f, v, cid) for f, v, cid in alone
            ]
        names = {h.holder: (h.names, h.renamed) for hits in many for h in hits}
    assert len(names) == 3
    assert sorted(len(n) for n, _renamed in names.values()) == [1, 1, 2]  # Grace also known as Grace B.
    assert sorted(renamed for _n, renamed in names.values()) == [False, False, True]
    assert many[2] == []


def test_a_row_sees_what_an_earlier_row_of_its_batch_wrote(imp, cli, store, tmp_path):
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@a.test")
    # row 1 joins Ada by her address and gives her a LinkedIn profile; row 2 has only that profile: read
    # before the batch, nobody held it, and the row would have become a second Ada
    rows = _csv(
        tmp_path / "people.csv",
        [
            "Ada Lovelace,ada@a.test,https://www.linkedin.com/in/ada-l,",
            "Ada Lovelace,ada@b.test,https://www.linkedin.com/in/ada-l,Analytical Engines",
            "Charles Babbage,cb@a.test,https://www.linkedin.com/in/cbabbage,",
        ],
    )
    rep = imp(rows)["data"]
    # Ada, updated by two rows, is one contact updated [import-report]
    assert (rep["contacts_created"], rep["contacts_updated"], rep["pending_review"]) == (1, 1, 0)
    assert rep["errors"] == []
    assert store.q("SELECT full_name, company FROM contacts ORDER BY id") == [
        ("Ada Lovelace", "Analytical Engines"),
        ("Charles Babbage", None),
    ]
    assert store.q("SELECT email FROM contact_emails ORDER BY email") == [
        ("ada@a.test",),
        ("ada@b.test",),
        ("cb@a.test",),
    ]
    # the same file again changes nothing: every row is answered from the look-ups made together
    again = imp(rows)["data"]
    # Ada and Charles unchanged (Ada's two rows: one contact)
    assert (again["contacts_created"], again["contacts_updated"], again["contacts_skipped"]) == (0, 0, 2)
