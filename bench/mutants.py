"""On-demand mutation testing: does the suite catch deliberate one-line breaks of what it claims to test?

Not part of the default CI run (it takes minutes). Each mutant below replaces one exact piece of one file
with a plausible mistake (an off-by-one, a dropped check, a moved threshold). For each, the tree (pcrm/,
tests/, docs/, pyproject.toml) is copied to a temporary folder, the mutant applied there, and the tests
that guard that behaviour are run against the copy; the mutant is *killed* when a test fails. The real
checkout is never modified.

    .venv/bin/python bench/mutants.py                   # every mutant
    .venv/bin/python bench/mutants.py --only auth-      # mutants whose id starts with auth-
    .venv/bin/python bench/mutants.py --full            # run the whole suite for each (slow, thorough)
    .venv/bin/python bench/mutants.py --check           # only check that every mutant still applies

A mutant that survives is either a hole in the suite (write the test) or harmless: then it belongs in
ACCEPTED with the reason, and the report lists it apart. The score and the accepted survivors are
recorded in bench/README.md ("Mutation testing").
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    old: str  # occurs exactly once in the file
    new: str
    tests: tuple[str, ...]  # what guards it (paths under tests/)
    what: str


M = Mutant
MUTANTS = [
    # -- authentication
    M(
        "auth-expiry-off-by-one",
        "pcrm/services/auth.py",
        'if int(claims["exp"]) <= int(ctx.now().timestamp()):',
        'if int(claims["exp"]) < int(ctx.now().timestamp()):',
        ("tests/api/test_auth_guard.py",),
        "a token is still good in the second of its exp",
    ),
    M(
        "auth-expiry-leeway",
        "pcrm/services/auth.py",
        'if int(claims["exp"]) <= int(ctx.now().timestamp()):',
        'if int(claims["exp"]) + 90 <= int(ctx.now().timestamp()):',
        ("tests/api/test_auth_guard.py",),
        "90 s of leeway on expiry",
    ),
    M(
        "auth-no-expiry-check",
        "pcrm/services/auth.py",
        'if int(claims["exp"]) <= int(ctx.now().timestamp()):',
        "if False:",
        ("tests/api/test_auth_guard.py",),
        "expired tokens accepted",
    ),
    M(
        "auth-no-password-version",
        "pcrm/services/auth.py",
        'if claims.get("pv") != _password_version(user["hashed_password"]):',
        "if False:",
        ("tests/api/test_auth_guard.py", "tests/api/test_accounts.py"),
        "tokens survive a password change",
    ),
    M(
        "auth-any-audience",
        "pcrm/services/auth.py",
        'auds = [AUDIENCES[k] for k in ("web", "extension") if k in kinds]',
        "auds = list(AUDIENCES.values())",
        ("tests/api/test_auth_guard.py",),
        "extension tokens accepted on every route",
    ),
    M(
        "tokens-revoked-still-work",
        "pcrm/store/auth.py",
        '"FROM api_tokens WHERE kind = ? AND token_hash = ?"',
        '"FROM api_tokens WHERE kind != ? AND token_hash = ?"',
        ("tests/api/test_auth_guard.py", "tests/api/test_tokens.py"),
        "a token of one kind opens another kind's door",
    ),
    # -- the daemon's defences
    M(
        "body-no-content-length-check",
        "pcrm/api/middleware.py",
        "too_big = int(length) > self.max_bytes",
        "too_big = False",
        ("tests/api/test_body_limit.py",),
        "an announced oversize body is read anyway",
    ),
    M(
        "body-limit-off-by-one",
        "pcrm/api/middleware.py",
        "too_big = int(length) > self.max_bytes",
        "too_big = int(length) >= self.max_bytes",
        ("tests/api/test_body_limit.py",),
        "a body of exactly the limit refused",
    ),
    M(
        "body-counted-off-by-one",
        "pcrm/api/middleware.py",
        'if seen["n"] > self.max_bytes:',
        'if seen["n"] > self.max_bytes + 1:',
        ("tests/api/test_body_limit.py",),
        "one byte over the limit accepted when chunked",
    ),
    M(
        "host-case-sensitive",
        "pcrm/api/middleware.py",
        "h = host_header.strip().lower()",
        "h = host_header.strip()",
        ("tests/api/test_defences.py",),
        "LOCALHOST refused",
    ),
    M(
        "host-missing-allowed",
        "pcrm/api/middleware.py",
        'name = host_name(_header(scope, b"host"))',
        'name = host_name(_header(scope, b"host") or "localhost")',
        ("tests/api/test_defences.py",),
        "a request without Host served",
    ),
    M(
        "cors-any-origin",
        "pcrm/api/middleware.py",
        "if origin not in self.runtime.cors_origins:",
        "if False:",
        ("tests/api/test_defences.py",),
        "any web page may call the daemon",
    ),
    M(
        "rate-limit-eleven",
        "pcrm/api/ratelimit.py",
        '"login": RateLimiter(10, 60, what="login attempts")',
        '"login": RateLimiter(11, 60, what="login attempts")',
        ("tests/api/test_defences.py",),
        "11 logins a minute",
    ),
    M(
        "secrets-file-mode",
        "pcrm/secrets.py",
        "os.chmod(tmp, 0o600)",
        "os.chmod(tmp, 0o644)",
        ("tests/api/test_secrets.py",),
        "the secrets file readable by others",
    ),
    # -- the envelope and JSON
    M(
        "json-unsorted-keys",
        "pcrm/serialize.py",
        "_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS",
        "_OPTS = orjson.OPT_NON_STR_KEYS",
        ("tests/api/test_canonical_json.py", "tests/api/test_parity.py"),
        "keys in insertion order",
    ),
    # -- identity
    M(
        "identity-auto-merge-0.71",
        "pcrm/domain/identity.py",
        "AUTO_MERGE = 0.85",
        "AUTO_MERGE = 0.71",
        ("tests/identity",),
        "pairs for review merged",
    ),
    M(
        "identity-auto-merge-0.90",
        "pcrm/domain/identity.py",
        "AUTO_MERGE = 0.85",
        "AUTO_MERGE = 0.90",
        ("tests/identity",),
        "sure pairs only queued",
    ),
    M(
        "identity-auto-merge-inclusive",
        "pcrm/domain/identity.py",
        "    if score > AUTO_MERGE:",
        "    if score >= AUTO_MERGE:",
        ("tests/identity",),
        "a pair at exactly 0.85 merged",
    ),
    M(
        "identity-review-exclusive",
        "pcrm/domain/identity.py",
        "    if score >= REVIEW:",
        "    if score > REVIEW:",
        ("tests/identity",),
        "the name-only cap of 0.70 never queued",
    ),
    M(
        "identity-hint-exclusive",
        "pcrm/services/identity/hints.py",
        "if ex.score >= dom.HINT:",
        "if ex.score > dom.HINT:",
        ("tests/identity",),
        "a pair at exactly 0.40 not hinted",
    ),
    M(
        "identity-no-phone-tier1",
        "pcrm/services/identity/tier1.py",
        'links.append((by_phone[d], i, "phone"))',
        "pass",
        ("tests/identity",),
        "same phone never merges",
    ),
    M(
        "normalize-email-case",
        "pcrm/domain/normalize.py",
        '    v = value.strip().lower()\n    v = v.removeprefix("mailto:")',
        '    v = value.strip()\n    v = v.removeprefix("mailto:")',
        ("tests/domain", "tests/identity", "tests/contacts/test_contacts.py"),
        "ADA@x and ada@x two people",
    ),
    M(
        "fold-no-casefold",
        "pcrm/domain/normalize.py",
        'return " ".join(unicodedata.normalize("NFKC", value).casefold().split())',
        'return " ".join(unicodedata.normalize("NFKC", value).split())',
        ("tests/domain", "tests/contacts"),
        "non-ASCII search is case-sensitive",
    ),
    # -- scores, overdue, suggestions
    M(
        "score-recency-week",
        "pcrm/domain/scoring.py",
        "raw = 3 if days <= 7 else 2",
        "raw = 3 if days <= 8 else 2",
        ("tests/domain/test_scoring.py", "tests/scores"),
        "recency's first band one day long",
    ),
    M(
        "score-frequency-weight",
        "pcrm/domain/scoring.py",
        "weighted = i.c30 * 1.0 + i.c90 * 0.3",
        "weighted = i.c30 * 1.0 + i.c90 * 0.35",
        ("tests/domain/test_scoring.py", "tests/scores"),
        "the 31-90 day weight",
    ),
    M(
        "score-future-counted",
        "pcrm/domain/scoring.py",
        "        if t > now:\n            continue",
        "        if t > now + timedelta(days=1):\n            continue",
        ("tests/domain/test_scoring.py", "tests/scores"),
        "tomorrow's meeting counts today",
    ),
    M(
        "overdue-off-by-one",
        "pcrm/services/views.py",
        "cutoff_day = today - timedelta(days=interval)",
        "cutoff_day = today - timedelta(days=interval - 1)",
        ("tests/contacts",),
        "overdue a day early",
    ),
    M(
        "overdue-utc-today",
        "pcrm/services/views.py",
        "today = ctx.now().astimezone(tz).date()",
        "today = ctx.now().date()",
        ("tests/contacts",),
        "today in UTC, not the user's zone",
    ),
    M(
        "overdue-second-tier",
        "pcrm/store/views.py",
        "\"AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd tier') \"",
        "\"AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '2nd-tier') \"",
        ("tests/contacts",),
        "2nd-tier contacts listed as overdue",
    ),
    M(
        "calendar-due-late",
        "pcrm/services/calendar.py",
        "due = max(today, last_day + timedelta(days=intervals[level]))",
        "due = max(today, last_day + timedelta(days=intervals[level] + 1))",
        ("tests/contacts", "tests/suggestions"),
        "follow-ups due a day late",
    ),
    M(
        "suggestions-default-budget",
        "pcrm/domain/settings.py",
        'Setting("suggestions.max_suggestions", 5,',
        'Setting("suggestions.max_suggestions", 6,',
        ("tests/suggestions", "tests/settings"),
        "six suggestions by default",
    ),
    # -- contacts and validation
    M(
        "filters-unknown-ignored",
        "pcrm/domain/query.py",
        '    if unknown:\n        raise ValidationError(\n            f"unknown filter',
        '    if False:\n        raise ValidationError(\n            f"unknown filter',
        ("tests/contacts", "tests/domain"),
        "a mistyped filter silently ignored",
    ),
    M(
        "page-size-101",
        "pcrm/services/contacts.py",
        "default_size=20, max_size=100)",
        "default_size=20, max_size=101)",
        ("tests/contacts", "tests/api/test_fuzz.py"),
        "101 contacts a page",
    ),
    M(
        "edits-not-protected",
        "pcrm/services/contacts.py",
        "                if f in changes and f not in edited:\n                    edited.append(f)",
        "                if f in changes and f not in edited:\n                    pass",
        ("tests/contacts", "tests/imports"),
        "a user's edit not protected from imports",
    ),
    # -- imports, exports, formats
    M(
        "export-drops-contact-fields",
        "pcrm/store/exports.py",
        '"search_dirty",  # search index bookkeeping',
        '"search_dirty",\n        "contact_fields",',
        ("tests/exports",),
        "addresses and URLs missing from the export",
    ),
    M(
        "export-drops-notifications",
        "pcrm/store/exports.py",
        '"search_dirty",  # search index bookkeeping',
        '"search_dirty",\n        "notifications",',
        ("tests/exports",),
        "notifications missing from the export",
    ),
    M(
        "export-drops-org-merges",
        "pcrm/store/exports.py",
        '"search_dirty",  # search index bookkeeping',
        '"search_dirty",\n        "org_merges",',
        ("tests/exports",),
        "organization merges missing from the export",
    ),
    M(
        "vcard-comma-unescaped",
        "pcrm/formats/vcard_text.py",
        '.replace("\\n", "\\\\n").replace(",", "\\\\,")',
        '.replace("\\n", "\\\\n")',
        ("tests/formats", "tests/exports"),
        "commas in vCard text not escaped",
    ),
]

# Mutants that survive on purpose, with the reason each is harmless. Keep this short.
ACCEPTED: dict[str, str] = {}


def apply(root: Path, m: Mutant) -> None:
    path = root / m.file
    text = path.read_text(encoding="utf-8")
    count = text.count(m.old)
    if count != 1:
        raise SystemExit(f"{m.id}: the text to replace occurs {count} times in {m.file}; update the mutant")
    path.write_text(text.replace(m.old, m.new), encoding="utf-8")


def copy_tree(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")
    for name in ("pcrm", "tests", "docs"):
        shutil.copytree(REPO / name, dest / name, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")


def run(m: Mutant, full: bool, timeout: int) -> tuple[str, float]:
    with tempfile.TemporaryDirectory(prefix="pcrm-mutant-") as tmp:
        root = Path(tmp)
        copy_tree(root)
        apply(root, m)
        targets = ["tests"] if full else list(m.tests)
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-n", "2", *targets]
        t0 = time.perf_counter()
        try:
            p = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - t0
        took = time.perf_counter() - t0
        # with -x, xdist stops the session at the first failure and pytest exits 2 (interrupted)
        if p.returncode in (1, 2) and re.search(r"\b\d+ (failed|errors?)\b", p.stdout):
            return "killed", took
        if p.returncode == 0:
            return "survived", took
        return f"error (pytest exit {p.returncode}: {p.stdout.strip().splitlines()[-1:]})", took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="run only mutants whose id starts with this")
    ap.add_argument("--full", action="store_true", help="run the whole suite against each mutant")
    ap.add_argument("--check", action="store_true", help="only check that every mutant applies")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per mutant")
    args = ap.parse_args()
    chosen = [m for m in MUTANTS if not args.only or m.id.startswith(args.only)]
    if len({m.id for m in MUTANTS}) != len(MUTANTS):
        raise SystemExit("duplicate mutant ids")
    for m in chosen:
        text = (REPO / m.file).read_text(encoding="utf-8")
        if text.count(m.old) != 1:
            raise SystemExit(f"{m.id}: the text to replace occurs {text.count(m.old)} times in {m.file}")
        missing = [t for t in m.tests if not (REPO / t).exists()]
        if missing:
            raise SystemExit(f"{m.id}: no such tests: {missing}")
    if args.check:
        print(f"{len(chosen)} mutants apply")
        return 0
    results = []
    for m in chosen:
        outcome, took = run(m, args.full, args.timeout)
        accepted = m.id in ACCEPTED
        results.append((m, outcome, accepted))
        note = f"  (accepted: {ACCEPTED[m.id]})" if accepted else ""
        print(f"{outcome:9s} {took:6.1f} s  {m.id}: {m.what}{note}", flush=True)
    killed = sum(1 for _, o, _ in results if o == "killed")
    survivors = [(m, o) for m, o, a in results if o != "killed" and not a]
    print(f"\nscore: {killed}/{len(results)} killed; {len(survivors)} unexplained survivors")
    for m, o in survivors:
        print(f"  {o}: {m.id} ({m.file}): {m.what}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
