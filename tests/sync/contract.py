"""The contract suite of a live source [sync-engine]: every adapter's tests subclass `SourceContract`.

A subclass names the adapter (`source_cls`) and provides a fake client at the adapter's real boundary
(`make_client`), a way to make new data arrive (`grow`), and the counts the client's data holds. The
suite checks the adapter alone (batches self-contained, cursors resume exactly after a batch, references
stable across fetches) and through the real engine on a real store (every record written once, reruns
and re-fetches add nothing, a failure keeps earlier batches and the rerun completes, `metadata_only`
keeps no text, a field the user edited is never refilled, a second run waits for the first).
"""

from __future__ import annotations

import json
import os
from typing import Any, ClassVar

import pytest

from pcrm.domain.settings import REGISTRY
from pcrm.domain.sources import HIDDEN_ENV, SOURCES
from pcrm.errors import Conflict, PcrmError
from pcrm.services import sync
from pcrm.services.context import Context
from pcrm.store.db import write
from pcrm.sync import registry
from pcrm.sync.base import CAPABILITIES, Source


class SourceContract:
    source_cls: ClassVar[type[Source]]
    contacts: ClassVar[int]  # people in make_client()'s data
    interactions: ClassVar[int]  # messages in make_client()'s data

    # ------------------------------------------------------------ what a subclass provides

    def make_client(self, *, fail_at: int | None = None) -> Any:
        """A fake client with the dataset; `fail_at`: fail when asked for that batch (0-based)."""
        raise NotImplementedError

    def grow(self, client: Any) -> int:
        """Make new data arrive (for people already synced); returns how many new interactions."""
        raise NotImplementedError

    # ------------------------------------------------------------ helpers

    @pytest.fixture(autouse=True)
    def _enabled(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(HIDDEN_ENV, "1")

    @property
    def name(self) -> str:
        return self.source_cls.spec.name

    def sync(self, ctx: Context, client: Any) -> dict[str, Any]:
        return dict(sync.run(ctx, self.name, client=client).data)

    def count(self, ctx: Context, sql: str, *args: Any) -> int:
        return int(ctx.conn.execute(sql, args).fetchall()[0][0])

    def stored(self, ctx: Context) -> int:
        return self.count(
            ctx, "SELECT count(*) FROM interactions WHERE platform = ?", self.source_cls.spec.platform
        )

    def refs(self, ctx: Context) -> list[str]:
        return [r[0] for r in ctx.conn.execute("SELECT raw_reference_id FROM interactions ORDER BY 1")]

    # ------------------------------------------------------------ the adapter alone

    def test_it_is_one_of_the_sources(self) -> None:
        spec = self.source_cls.spec
        assert spec in SOURCES and spec.kind == "pull"
        assert self.source_cls.capabilities <= CAPABILITIES and self.source_cls.capabilities
        assert registry.adapter(spec.name) is self.source_cls

    def test_batches_are_self_contained_and_resume_exactly(self) -> None:
        batches = list(self.source_cls(self.make_client()).fetch(None))
        assert batches, "the dataset yields at least one batch"
        refs: list[str] = []
        for b in batches:
            assert b.cursor, "every batch says where to resume"
            for it in b.records.interactions:
                assert not isinstance(it.contact, int) or 0 <= it.contact < len(b.records.contacts)
                refs.append(it.raw_reference_id)
        assert len(refs) == len(set(refs)) == self.interactions
        # resuming after batch k yields exactly the batches after it
        for k, b in enumerate(batches):
            rest = [
                it.raw_reference_id
                for later in self.source_cls(self.make_client()).fetch(b.cursor)
                for it in later.records.interactions
            ]
            expected = [
                it.raw_reference_id for later in batches[k + 1 :] for it in later.records.interactions
            ]
            assert rest == expected

    # ------------------------------------------------------------ through the engine

    def test_every_record_is_written_once_and_reruns_add_nothing(self, ctx: Context) -> None:
        client = self.make_client()
        run = self.sync(ctx, client)
        assert run["status"] == "success"
        assert self.stored(ctx) == self.interactions
        assert self.count(ctx, "SELECT count(*) FROM contacts") == self.contacts
        refs = self.refs(ctx)
        again = self.sync(ctx, client)  # from the saved cursor: nothing is fetched again
        assert again["records_created"] == 0 and json.loads(again["details"])["batches"] == 0
        sync.reset(ctx, self.name)  # everything fetched again: still nothing new
        assert self.sync(ctx, client)["records_created"] == 0
        assert self.refs(ctx) == refs

    def test_new_data_arrives_on_the_next_run(self, ctx: Context) -> None:
        client = self.make_client()
        self.sync(ctx, client)
        new = self.grow(client)
        assert new > 0
        run = self.sync(ctx, client)
        assert self.stored(ctx) == self.interactions + new
        assert run["records_created"] == new

    def test_a_failing_batch_keeps_the_earlier_ones_and_the_rerun_completes(self, ctx: Context) -> None:
        with pytest.raises(PcrmError) as failed:
            self.sync(ctx, self.make_client(fail_at=1))
        assert failed.value.code == "upstream_error" and failed.value.hint
        run = ctx.conn.execute("SELECT status, error_message FROM sync_runs").fetchall()
        assert run[0][0] == "partial" and run[0][1]
        first = self.stored(ctx)
        assert 0 < first < self.interactions or self.count(ctx, "SELECT count(*) FROM contacts") > 0
        notice = ctx.conn.execute(
            "SELECT title FROM notifications WHERE notification_type = 'sync'"
        ).fetchall()
        assert notice == [(f"{self.source_cls.spec.label} sync failed",)]
        assert self.sync(ctx, self.make_client())["status"] == "success"
        assert self.stored(ctx) == self.interactions
        assert len(set(self.refs(ctx))) == self.interactions

    def test_metadata_only_keeps_no_message_text(self, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
        key = f"metadata_only.{self.name}"
        if key in REGISTRY:
            from pcrm.services import settings

            settings.set_setting(ctx, key, True)
        else:  # a source without settings (the hidden memory source): the adapter's own switch
            monkeypatch.setattr(self.source_cls, "metadata_only", True)
        self.sync(ctx, self.make_client())
        assert self.stored(ctx) == self.interactions
        assert self.count(ctx, "SELECT count(*) FROM interactions WHERE content_preview IS NOT NULL") == 0

    def test_a_field_the_user_edited_is_never_refilled(self, ctx: Context) -> None:
        from pcrm.services import contacts

        client = self.make_client()
        self.sync(ctx, client)
        row = ctx.conn.execute(
            "SELECT uuid FROM contacts WHERE company IS NOT NULL AND company != '' LIMIT 1"
        ).fetchall()
        if not row:
            pytest.skip("the dataset has no company to edit")  # pragma: no cover - datasets have one
        contacts.update_contact(ctx, row[0][0], {"company": None})
        sync.reset(ctx, self.name)
        self.sync(ctx, client)
        assert ctx.conn.execute("SELECT company FROM contacts WHERE uuid = ?", (row[0][0],)).fetchall() == [
            (None,)
        ]

    def test_a_second_run_waits_for_the_first(self, ctx: Context) -> None:
        from pcrm.store import locks

        with write(ctx.conn):
            assert locks.acquire(
                ctx.conn,
                f"sync:{self.name}",
                f"{os.getppid()}:other",
                ctx.now_iso(),
                "2999-01-01T00:00:00.000Z",
            )
        with pytest.raises(Conflict):
            self.sync(ctx, self.make_client())
        assert self.stored(ctx) == 0
        assert self.count(ctx, "SELECT count(*) FROM sync_runs") == 0
