"""File modes: the store, its -wal/-shm, backups, avatars and run state were 0644 in 0755 folders, the
password hash included. PCRM_HOME is now 0700 and what pcrm creates in it 0600; `pcrm db check` reports
loose modes and `--fix` repairs them; `pcrm secrets status` shows the file's real mode [private-files]."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.lstat().st_mode)


@pytest.fixture
def open_umask() -> Any:
    old = os.umask(0o022)  # what most users have: without care, files are 0644 and folders 0755
    yield
    os.umask(old)


def test_everything_pcrm_creates_is_owner_only(
    cli: Any, pcrm_home: Path, tmp_path: Path, open_umask: Any
) -> None:
    cli("init")
    cli("contacts", "add", "--name", "Ada Lovelace")
    cli("db", "backup")
    vcf = tmp_path / "ada.vcf"
    photo = base64.b64encode(b"\xff\xd8\xff\xe0" + b"0" * 64).decode()
    card = f"BEGIN:VCARD\nVERSION:3.0\nFN:Grace Hopper\nPHOTO;ENCODING=b;TYPE=JPEG:{photo}\nEND:VCARD\n"
    vcf.write_text(card)
    cli("import", str(vcf))
    from pcrm import paths
    from pcrm.daemon import runstate

    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00Z")
    assert _mode(pcrm_home) == 0o700
    seen = {p.relative_to(pcrm_home).parts[0] for p in pcrm_home.rglob("*")}
    assert {"pcrm.db", "backups", "avatars", "run"} <= seen, seen
    assert any((pcrm_home / "avatars").iterdir())
    assert paths.loose_modes() == []
    for p in pcrm_home.rglob("*"):
        assert _mode(p) == (0o700 if p.is_dir() else 0o600), p


def test_wal_and_shm_follow_the_database(pcrm_home: Path, open_umask: Any) -> None:
    from pcrm.services.context import open_context

    with open_context() as ctx:
        ctx.conn.execute("CREATE TEMP TABLE x(y)")
        wal = [p for p in pcrm_home.iterdir() if p.name.endswith(("-wal", "-shm"))]
        assert wal and all(_mode(p) == 0o600 for p in wal)


def test_db_check_reports_loose_modes_and_fix_repairs_them(cli: Any, pcrm_home: Path) -> None:
    cli("init")
    # what opening the store does not look at (tests/adversarial/test_store_modes.py): the avatars, a folder's
    # subfolders
    photo = pcrm_home / "avatars" / "ada.jpg"
    photo.write_bytes(b"\xff\xd8")
    nested = pcrm_home / "avatars" / "cards"
    nested.mkdir()
    os.chmod(photo, 0o644)
    os.chmod(nested, 0o755)
    r = cli("db", "check", ok=False)
    assert "ada.jpg is mode 0644" in r.stdout and "cards is mode 0755" in r.stdout and "--fix" in r.stdout
    r = cli.json("db", "check", "--fix")
    assert r["data"]["ok"] and r["data"]["fixed"] == [f"{photo}: 0644 -> 0600", f"{nested}: 0755 -> 0700"]
    assert _mode(photo) == 0o600 and _mode(nested) == 0o700
    assert cli.json("db", "check")["data"]["fixed"] == []


def test_secrets_status_reports_the_real_mode(cli: Any, pcrm_home: Path) -> None:
    from pcrm import secrets

    cli("init")
    secrets.put("test-secret", "value")
    path = Path(secrets.describe()["path"])
    assert "mode 0600" in cli("secrets", "status").stdout
    os.chmod(path, 0o644)
    out = cli("secrets", "status").stdout
    assert "mode 0644" in out and "others can read" in out
    assert cli.json("secrets", "status")["data"]["file_mode"] == "0644"


def test_db_check_in_a_shared_pcrm_home_looks_only_at_pcrms_files(cli: Any, pcrm_home: Path) -> None:
    """PCRM_HOME set to a folder of the user's own (the home folder, a shared 3775 folder): `db check`
    reported every file in it readable by others, and `--fix` made them all private, the folder 0700 and its
    setgid bit gone; then every file directly in ~/backups, ~/exports, ~/avatars and ~/run was still taken for
    pcrm's. Now only pcrm's files are looked at, there only the names pcrm writes; a folder of pcrm's keeps
    its special bits, and one holding the user's files too its mode [private-files]."""
    cli("init")
    cli("db", "backup")
    mine = {
        pcrm_home / "notes.txt": 0o644,
        pcrm_home / "draft.tmp": 0o644,  # a name like pcrm's half-written files, still the user's
        pcrm_home / "pcrm.db.old": 0o644,  # the user's own copy
        pcrm_home / "projects": 0o2775,
        pcrm_home / "projects" / "plan.md": 0o664,
    }
    (pcrm_home / "projects").mkdir()
    for p in mine:
        if not p.exists():
            p.write_text("the user's own")
    (pcrm_home / "link-to-notes").symlink_to(pcrm_home / "notes.txt")
    # a folder of the user's in a folder named like pcrm's (pcrm makes no sub-folder in its folders): theirs,
    # with all it holds
    for kept in (pcrm_home / "backups" / "photos-2019", pcrm_home / "avatars" / "cards"):
        kept.mkdir()
        (kept / "img.jpg").write_bytes(b"\xff\xd8")
        mine.update({kept: 0o2775, kept / "img.jpg": 0o644})
    # the user's files directly in folders named like pcrm's: only the names pcrm writes there are pcrm's
    for theirs in ("backups/tax-2023.pdf", "backups/old.db", "exports/contacts.csv", "avatars/ada.jpg"):
        (pcrm_home / theirs).write_bytes(b"\xff\xd8")
        mine[pcrm_home / theirs] = 0o644
    (pcrm_home / "run").rmdir()
    (pcrm_home / "run").mkdir()
    (pcrm_home / "run" / "notes.md").write_text("the user's own")
    mine.update({pcrm_home / "run": 0o755, pcrm_home / "run" / "notes.md": 0o644})  # a folder with theirs
    # pcrm's, and what opening the store does not look at (a photo in avatars/ come after the once-only walk)
    photo = pcrm_home / "avatars" / "1b4e28ba-2fa1-41d2-883f-0016d3cca427.jpg"
    photo.write_bytes(b"\xff\xd8")
    ours = {photo: 0o644}
    cli("jobs", "run", "snoozes")  # a job's run holds a lock file in run/: pcrm's, made private at opening
    lock = pcrm_home / "run" / "job-snoozes.lock"
    for p, mode in {**mine, **ours, lock: 0o644}.items():
        os.chmod(p, mode)
    os.chmod(pcrm_home, 0o3775)

    r = cli.json("db", "check", ok=False)
    said = "\n".join(r["data"]["problems"])
    assert sorted(line.split(" is mode")[0] for line in r["data"]["problems"]) == sorted(map(str, ours)), said
    assert str(pcrm_home) + " " not in said and "notes" not in said and "projects" not in said

    r = cli.json("db", "check", "--fix")
    assert r["data"]["ok"], r["data"]
    assert r["data"]["fixed"] == [f"{photo}: 0644 -> 0600"]
    assert {p: _mode(p) for p in mine} == mine and _mode(pcrm_home) == 0o3775
    assert _mode(photo) == 0o600 and _mode(lock) == 0o600
    clean = cli.json("db", "check")["data"]
    assert (clean["ok"], clean["problems"], clean["fixed"]) == (True, [], [])
    # the opening that made the lock file private said so
    assert [c["path"] for t in clean["tightened"] for c in t["changed"]] == [str(lock)]
