"""What a contact reference costs a `pcrm` command, when it fits someone and when it fits nobody
[contact-references]. Not a test: figures.

    PYTHONPATH=. .venv/bin/python bench/contact_refs.py HOME "Ada Lovelace" "Nobody Here" "Ada Lovelac"
    PYTHONPATH=. .venv/bin/python bench/contact_refs.py HOME REF... --checkout /work/other   # compare

Each reference is looked up `--runs` times, each time in a fresh interpreter with pcrm's CLI modules already
imported (what every command has loaded before it reads its argument), the runs of all references and
checkouts interleaved so a busy machine weighs on each alike. Timed inside the child: the look-up
(services.contacts.resolve_ref over the store's own connection) with whatever it imports on the way, as a
command that names a contact pays it. Printed: median and minimum ms per reference and checkout, and how a
miss ended (its hint). HOME is only read.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = """
import json, sys, time
import pcrm.cli, pcrm.cli._output, pcrm.services.contacts, pcrm.services.context  # a command's start-up
from pcrm.services.context import open_context
with open_context(create=False) as ctx:
    t = time.perf_counter()
    try:
        pcrm.services.contacts.resolve_ref(ctx, sys.argv[1])
        how = "hit"
    except Exception as e:
        how = getattr(e, "hint", "") or type(e).__name__
    ms = (time.perf_counter() - t) * 1000
print(json.dumps({"ms": ms, "how": how, "rapidfuzz": "rapidfuzz" in sys.modules}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("refs", nargs="+")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--checkout", action="append", default=[], help="another checkout to time the same way")
    args = ap.parse_args()
    checkouts = [os.environ.get("PYTHONPATH") or os.getcwd(), *args.checkout]
    got: dict[tuple[str, str], list[float]] = {}
    how: dict[tuple[str, str], str] = {}
    for _ in range(args.runs):
        for checkout in checkouts:
            for ref in args.refs:
                env = {**os.environ, "PCRM_HOME": str(args.home), "PYTHONPATH": checkout}
                # cached bytecode, as an installed pcrm has (this sandbox sets PYTHONDONTWRITEBYTECODE)
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                env.setdefault("PYTHONPYCACHEPREFIX", "/tmp/pcrm-bench-pycache")
                p = subprocess.run(
                    [sys.executable, "-c", _CHILD, ref], env=env, capture_output=True, text=True, check=True
                )
                r = json.loads(p.stdout.strip().splitlines()[-1])
                got.setdefault((checkout, ref), []).append(r["ms"])
                how[(checkout, ref)] = f"{r['how'][:50]}{' (rapidfuzz imported)' if r['rapidfuzz'] else ''}"
    for (checkout, ref), ms in got.items():
        print(
            f"{checkout:22} {ref!r:18} median {statistics.median(ms):7.2f} ms  min {min(ms):7.2f} ms  "
            f"{how[(checkout, ref)]}"
        )


if __name__ == "__main__":
    main()
