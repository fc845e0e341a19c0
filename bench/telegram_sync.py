"""The Telegram sync's throughput [telegram-sync]: a fake account (tests/sync/telegram/fake.py: a real
telethon client whose requests are answered offline with TL objects, so telethon's own iter_dialogs and
iter_messages run) with DIALOGS DMs of MESSAGES messages each (every tenth a call), synced into a fresh store;
then an unchanged rerun (one dialog listing, every dialog skipped), then one new message in 10 dialogs.

    .venv/bin/python bench/telegram_sync.py --dialogs 1000 --messages 50 [--no-bios]

Each run ends with the bios phase [telegram-bios]: up to 100 profiles whose check is stale (here every
profile has a bio, so each costs one GetFullUser; the fake has no photos).

Targets (issue "Telegram"): first run <= 20 s, unchanged rerun <= 2 s. Requests are not paced here (a real
account waits 0.5-1 s between dialogs, which no benchmark should measure).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fake lives with the tests


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dialogs", type=int, default=1000)
    ap.add_argument("--messages", type=int, default=50)
    ap.add_argument(
        "--no-bios", action="store_true", help="turn the bios phase off (up to 100 GetFullUser per run)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PCRM_HOME"] = home
        from pcrm.services import settings, sync
        from pcrm.services.context import open_context
        from tests.sync.telegram.fake import Account, logged_in

        account = Account()
        for i in range(args.dialogs):
            uid = 10_000 + i
            account.person(uid, f"First{i}", f"Last{i}", username=f"user{i}" if i % 2 else None)
            for k in range(args.messages):
                if k % 10 == 9:
                    account.say(uid, None, out=True, call="phone", duration=30 + k)
                else:
                    account.say(uid, f"message {k} with {i}", out=k % 2 == 1)
            account.read[uid] = account.chats[uid][-3][0]
            account.bios[uid] = f"bio of {i}"
        with open_context(Path(home) / "pcrm.db") as ctx:
            settings.set_setting(ctx, "telegram.sync_2nd_tier", False)
            if args.no_bios:
                settings.set_setting(ctx, "telegram.sync_bios", False)
            for label in ("first run", "unchanged rerun", "10 dialogs new"):
                if label == "10 dialogs new":
                    for i in range(0, args.dialogs, max(1, args.dialogs // 10)):
                        account.say(10_000 + i, "something new")
                calls = sum(account.calls.values())
                t0, c0 = time.perf_counter(), time.process_time()
                row = sync.run(ctx, "telegram", client=logged_in(account)).data
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                asked = sum(account.calls.values()) - calls
                print(
                    f"{label:16} {wall:6.2f} s wall {cpu:6.2f} s CPU  created {row['records_created']:>7}  "
                    f"requests {asked:>5}"
                )
            n = ctx.conn.execute("SELECT count(*) FROM interactions").fetchall()[0][0]
            print(f"stored interactions: {n}")


if __name__ == "__main__":
    main()
