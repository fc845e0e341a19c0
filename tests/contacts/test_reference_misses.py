"""A contact reference that fits nobody [contact-references]: it reads the names it may fit, not every
contact's, and still finds what the slow way found (a first name, a name without its accents, a Greek name
in Latin letters, a name another tool just wrote) and still suggests the near names."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.errors import NotFound


@pytest.fixture
def many(pcrm_home: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A store of 150 contacts with a letter outside ASCII in their names besides a few others, and a
    context whose SQL first-name fold (pcrm_fold) and Python name rules count their calls."""
    from pcrm.domain import identity_names
    from pcrm.services.context import open_context
    from pcrm.store import db
    from tests.support.seed import add

    calls = {"pcrm_fold": 0, "name_tokens": 0}
    fold, tokens = db.fold, identity_names.name_tokens

    def counted_fold(value: str) -> str:
        calls["pcrm_fold"] += 1
        return fold(value)

    def counted_tokens(value: str | None) -> tuple[str, ...]:
        calls["name_tokens"] += 1
        return tokens(value)

    monkeypatch.setattr(db, "fold", counted_fold)  # registered as pcrm_fold when the store opens
    monkeypatch.setattr(identity_names, "name_tokens", counted_tokens)
    ctx = open_context()
    for i in range(150):
        add(ctx, full_name=f"Zoë Nørgaard {i}")
    for name in ("Ömer Yılmaz", "Γιάννης Παπαδόπουλος", "Алексей Смирнов", "Ada Lovelace"):
        add(ctx, full_name=name)
    yield ctx, calls
    ctx.close()


def test_a_miss_compares_few_names(many: Any) -> None:
    from pcrm.services.contacts import resolve_ref

    ctx, calls = many
    calls.update(pcrm_fold=0, name_tokens=0)
    with pytest.raises(NotFound) as miss:
        resolve_ref(ctx, "zzqx")
    assert "did you mean" not in (miss.value.hint or "")
    # the slow way folded the first name of each of the 154 contacts and read each of the 153 names with
    # a letter outside ASCII through the name rules
    assert calls["pcrm_fold"] < 10 and calls["name_tokens"] < 10, calls

    with pytest.raises(NotFound) as near:
        resolve_ref(ctx, "Ada Lovelaze")
    assert "did you mean Ada Lovelace" in (near.value.hint or "")


def test_a_miss_still_finds_what_the_slow_way_found(many: Any) -> None:
    from pcrm.services.contacts import resolve_ref
    from pcrm.store.rows import integer

    ctx, _ = many

    def named(ref: str) -> str:
        uuid = resolve_ref(ctx, ref)
        return str(ctx.conn.execute("SELECT full_name FROM contacts WHERE uuid = ?", (uuid,)).fetchone()[0])

    assert named("omer") == named("omer yilmaz") == named("Ömer") == "Ömer Yılmaz"
    assert named("giannis papadopoulos") == named("papadopoulos") == "Γιάννης Παπαδόπουλος"
    assert named("aleksey smirnov") == "Алексей Смирнов"
    assert named("zoe norgaard 7") == "Zoë Nørgaard 7"
    # another tool renames a contact: its search document is rebuilt at pcrm's next write, and its new
    # first name names it before that
    ctx.conn.execute("UPDATE contacts SET given_name = 'Quillon' WHERE full_name = 'Ada Lovelace'")
    assert integer(ctx.conn, "SELECT count(*) FROM search_dirty") == 1
    assert named("quillon") == "Ada Lovelace"
