"""AI benchmark [ai-models]: taxonomy apply over N contacts with the `pcrm-fake` model (each answer delayed
like a remote model's), and compose's own overhead over the model call.

    .venv/bin/python bench/ai_bench.py [--contacts 1000] [--delay 0.02] [--runs 50]

Targets: apply over 1,000 contacts <= 10 s (5 calls at a time); compose adds <= 20 ms over the model call.
A script, never a timed test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=1000)
    ap.add_argument("--delay", type=float, default=0.02, help="seconds each fake answer waits")
    ap.add_argument("--runs", type=int, default=50)
    a = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="pcrm-ai-bench-"))
    os.environ.update(
        PCRM_HOME=str(home),
        PCRM_SECRETS_BACKEND="file",
        PCRM_FAKE_LLM="1",
        LLM_USER_PATH=str(home / "llm"),
        LLM_LOAD_PLUGINS="",
    )
    from pcrm.services import contacts, interactions, settings
    from pcrm.services.ai import compose, models, taxonomy
    from pcrm.services.context import open_context

    titles = ["Engineer", "Founder", "Designer", "Investor", "Researcher"]
    places = ["London", "Berlin", "Lisbon", "Paris"]
    with open_context() as ctx:
        settings.set_setting(ctx, "ai.model", "pcrm-fake")
        ctx.invalidate_settings()
        ids = []
        for i in range(a.contacts):
            c = contacts.create_contact(
                ctx, {"full_name": f"Person {i}", "title": titles[i % 5], "location": places[i % 4]}
            )
            ids.append(c.data["id"])
        for j in range(5):
            interactions.add_interaction(
                ctx,
                ids[0],
                {"platform": "email", "direction": "inbound", "content_preview": f"hello {j}"},
            )
        taxonomy.put_taxonomy(
            ctx,
            {"categories": {"Role": [t.lower() for t in titles], "Geography": places}, "status": "approved"},
        )
        os.environ["PCRM_FAKE_LLM_DELAY"] = str(a.delay)
        models._model("pcrm-fake")  # llm imported and the model resolved before timing (once per process)
        t0, c0 = time.perf_counter(), time.process_time()
        got = taxonomy.apply(ctx).data
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"apply: {a.contacts} contacts, {got['tagged_count']} tagged, "
            f"model delay {a.delay * 1000:.0f} ms: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"(serial model time alone would be {a.contacts * a.delay:.1f} s)"
        )

        os.environ["PCRM_FAKE_LLM_DELAY"] = "0"
        chosen = models.require(ctx, "compose", "compose")
        prompt, _ = compose.build_prompt(ctx, contacts.rowid(ctx, ids[0]), "email")
        whole, model_only = [], []
        for _ in range(a.runs):
            t = time.perf_counter()
            compose.compose(ctx, ids[0])
            whole.append(time.perf_counter() - t)
            t = time.perf_counter()
            models.complete(chosen, prompt)
            model_only.append(time.perf_counter() - t)
        w, m = statistics.median(whole) * 1000, statistics.median(model_only) * 1000
        print(f"compose: median {w:.2f} ms, the model call alone {m:.2f} ms: pcrm adds {w - m:.2f} ms")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
