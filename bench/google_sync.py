"""Gmail through the real googleapiclient (bundled discovery documents, token refresh by google-auth) over
the fake Google of the tests (tests/sync/google_fake.py, httplib2's interface, no network): a first sync of
MESSAGES messages for PEOPLE contacts (a listing of 500 ids a page, one `messages.get` each), then an
incremental run with nothing new (one `history.list` call).

    PYTHONPATH=. .venv/bin/python bench/google_sync.py --messages 10000 --people 2000

Targets (issue "Google as sources"): first sync of 10k messages <= 30 s; incremental with nothing new <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--people", type=int, default=2_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PCRM_HOME"] = home
        from pcrm.services import contacts, sync
        from pcrm.services.context import open_context
        from tests.sync.google_fake import FakeGoogle, at

        me = "me@example.com"
        fake = FakeGoogle(page_size=500)
        box = fake.mailbox(me)
        for i in range(args.messages):
            other = f"person{i % args.people}@example.org"
            if i % 3:
                box.add_message(f"m{i}", other, me, f"hello {i}\n\nOn Mon, X wrote:\n> quoted", at=at(i / 50))
            else:
                box.add_message(f"m{i}", me, other, f"reply {i}", at=at(i / 50))
        with open_context(Path(home) / "pcrm.db") as ctx:
            for i in range(args.people):
                contacts.create_contact(
                    ctx, {"full_name": f"Person {i}", "emails": [f"person{i}@example.org"]}
                )
            client = fake.client()
            for label in ("first sync", "nothing new"):
                fake.calls.clear()
                t0, c0 = time.perf_counter(), time.process_time()
                row = sync.run(ctx, "gmail", client=client).data
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                print(
                    f"{label:12} {wall:6.2f} s wall {cpu:6.2f} s CPU  created {row['records_created']:>6}  "
                    f"HTTP requests {len(fake.calls)}"
                )


if __name__ == "__main__":
    main()
