"""vCard and WhatsApp import benchmarks [bench-targets]. Not a test: prints figures and whether they meet the
budgets.

    .venv/bin/python bench/imports_b_bench.py            # both
    .venv/bin/python bench/imports_b_bench.py vdir       # 100k vCards, one .vcf per contact (a vdir),
                                                         # budget 20 s
    .venv/bin/python bench/imports_b_bench.py whatsapp   # a 50k-message WhatsApp export, budget 5 s

Each measured step is a real `pcrm import` process (start-up included) on a fresh PCRM_HOME in a temp
folder; CPU seconds of the child are shown beside wall time (the machine is shared).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PCRM = [sys.executable, "-m", "pcrm"]
NOW = "2026-06-01T12:00:00Z"


def _pcrm(home: Path, *args: str) -> tuple[float, float]:
    env = dict(os.environ, PCRM_HOME=str(home), PCRM_NOW=NOW, NO_COLOR="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run([*PCRM, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(f"pcrm {' '.join(args)} failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def write_vdir(folder: Path, n: int, seed: int = 1) -> None:
    """n cards like a phone's: names, 1-2 emails, 1-2 labelled phones, an address for a third, birthdays."""
    from pcrm.services.demo import FIRST, LAST, TITLES

    rng = random.Random(seed)
    companies = [
        f"{rng.choice(LAST)} {rng.choice(('Labs', 'Systems', 'Ventures', 'Health'))} {i}" for i in range(3000)
    ]
    folder.mkdir(parents=True)
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{first}.{last}.{i}".lower().replace("'", "")
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{last};{first};;;",
            f"FN:{first} {last}",
            f"EMAIL;TYPE=INTERNET;TYPE=HOME:{slug}@example.com",
            f"TEL;TYPE=CELL:+1 202 {i // 10000 % 1000:03d} {i % 10000:04d}",
        ]
        if rng.random() < 0.5:
            lines.append(f"item1.EMAIL;TYPE=INTERNET:{slug}@work.example")
            lines.append("item1.X-ABLabel:Work stuff")
            lines += [f"ORG:{rng.choice(companies)};", f"TITLE:{rng.choice(TITLES)}"]
        if rng.random() < 0.3:
            lines.append(f"ADR;TYPE=HOME:;;{i} Main St;Springfield;IL;62701;USA")
        if rng.random() < 0.4:
            lines.append(f"BDAY:--{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
        if rng.random() < 0.1:
            lines.append("X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/" + slug.replace(".", "_")[:15])
        lines.append("END:VCARD")
        (folder / f"{i:06d}.vcf").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def write_whatsapp(path: Path, n: int, seed: int = 2) -> None:
    """An Android export of one chat with n messages over ~3 years, some multi-line, some media."""
    rng = random.Random(seed)
    t = 1_600_000_000
    out = [
        (
            "01/01/21, 09:00 - Messages and calls are end-to-end encrypted. "
            "No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."
        )
    ]
    import datetime as dt

    for i in range(n):
        t += rng.randint(20, 3600)
        d = dt.datetime.fromtimestamp(t, dt.UTC)
        who = "Ann Lee" if rng.random() < 0.5 else "Sam Vimes"
        r = rng.random()
        text = "<Media omitted>" if r < 0.05 else f"message {i} about lunch and other things"
        out.append(f"{d:%d/%m/%y, %H:%M} - {who}: {text}")
        if r > 0.9:
            out.append("and a second line")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def bench_vdir(n: int = 100_000) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "contacts"
        t0 = time.perf_counter()
        write_vdir(folder, n)
        print(f"wrote {n:,} .vcf files in {time.perf_counter() - t0:.1f} s")
        home = Path(tmp) / "home"
        wall, cpu = _pcrm(home, "import", str(folder))
        ok = wall <= 20
        print(
            f"vdir import, {n:,} vCards: {wall:.1f} s wall, {cpu:.1f} s CPU (budget 20 s) "
            f"{'OK' if ok else 'OVER'}"
        )
        wall2, cpu2 = _pcrm(home, "import", str(folder))
        print(f"  rerun (changes nothing): {wall2:.1f} s wall, {cpu2:.1f} s CPU")
        return ok


def bench_whatsapp(n: int = 50_000) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "WhatsApp Chat with Ann Lee.txt"
        write_whatsapp(f, n)
        home = Path(tmp) / "home"
        wall, cpu = _pcrm(home, "import", str(f), "--me", "Sam Vimes", "--tz", "UTC")
        ok = wall <= 5
        print(
            f"WhatsApp import, {n:,} messages: {wall:.1f} s wall, {cpu:.1f} s CPU (budget 5 s) "
            f"{'OK' if ok else 'OVER'}"
        )
        wall2, cpu2 = _pcrm(home, "import", str(f), "--me", "Sam Vimes", "--tz", "UTC")
        print(f"  rerun (changes nothing): {wall2:.1f} s wall, {cpu2:.1f} s CPU")
        return ok


if __name__ == "__main__":
    which = sys.argv[1:] or ["vdir", "whatsapp"]
    results = []
    if "vdir" in which:
        results.append(bench_vdir())
    if "whatsapp" in which:
        results.append(bench_whatsapp())
    sys.exit(0 if all(results) else 1)
