"""A store pcrm did not create 0600 (an older pcrm's, one copied in with `cp`, one restored from a backup
taken under umask 022) kept 0644, its -wal, -shm and backups too: other local users could read the whole CRM.
Opening it now makes it and its companions owner-only, quietly, and `pcrm db check` says so; another user's
file and a chmod the system refuses are left as they are, never failing the command. Everything pcrm writes is
0600 whatever the umask (022 and 000) [private-files]."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm import paths
from tests.support.store import dump_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.lstat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _old_store(cli: Any, home: Path) -> None:
    """A store with backups, an export, the secrets file and the daemon's run state."""
    from pcrm import secrets
    from pcrm.daemon import runstate

    cli("init")
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com")
    cli("db", "backup")
    cli("export", "json", "--output", str(home / "exports"))
    secrets.put("test-secret", "value")
    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00Z")


def _loosen(home: Path) -> None:
    """Everything readable by all, as an older pcrm or a `cp` under umask 022 left it."""
    for p in [home, *home.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)


def _store_files(home: Path) -> list[Path]:
    """What opening the store looks at, as it is on disk now."""
    named = [home / n for n in ("pcrm.db", "pcrm.db-wal", "pcrm.db-shm", paths.SECRETS_FILE)]
    folders = [home / n for n in ("backups", "exports", "run", "avatars")]
    inside = [p for n in ("backups", "exports", "run") for p in (home / n).iterdir()]
    return [home, *(p for p in named + folders + inside if p.exists())]


def test_opening_a_readable_store_makes_it_private_and_db_check_says_so(
    cli: Any, pcrm_home: Path, umask: int
) -> None:
    from pcrm.services.context import open_context

    _old_store(cli, pcrm_home)
    with open_context() as holder:  # another process's connection: the -wal and -shm stay, 0644 as copied
        holder.conn.execute("UPDATE contacts SET notes = 'x'")
        _loosen(pcrm_home)
        files = _store_files(pcrm_home)
        names = {p.relative_to(pcrm_home).as_posix() for p in files[1:]}
        assert {"pcrm.db", "pcrm.db-wal", "pcrm.db-shm", "secrets.bin", "run/daemon.json"} <= names, names
        assert sorted(n.split("/")[0] for n in names if "/" in n) == ["backups", "exports", "run"]
        assert all(_mode(p) & 0o077 for p in files)

        r = cli("contacts", "list")  # any command: the store is opened
        assert "Ada Lovelace" in r.stdout
        assert "private" not in r.stdout + r.stderr and "0644" not in r.stdout + r.stderr  # quietly
        assert {p: _mode(p) for p in files} == {p: 0o700 if p.is_dir() else 0o600 for p in files}

    r = cli("db", "check")  # exit 0: nothing is wrong any more, and it says what was changed
    for p in files:
        was, now = ("0755", "0700") if p.is_dir() else ("0644", "0600")
        assert f"made private: {p}: {was} -> {now}, when pcrm opened the store at " in r.stdout, p
    tightened = cli.json("db", "check")["data"]["tightened"]
    assert len(tightened) == 1
    assert sorted(c["path"] for c in tightened[0]["changed"]) == sorted(map(str, files))

    cli("contacts", "list")  # once: a store already private is not noted again
    assert len(cli.json("db", "check")["data"]["tightened"]) == 1


def test_a_store_copied_in_is_made_private_before_sqlite_makes_its_wal(cli: Any, pcrm_home: Path) -> None:
    """`cp` of a backup (0644 under umask 022) over the store: the -wal and -shm SQLite creates take the
    database's mode, so they are made from the tightened file."""
    from pcrm.services.context import open_context

    cli("init")
    backup = Path(cli.json("db", "backup")["data"]["path"])
    os.chmod(backup, 0o644)
    (pcrm_home / "pcrm.db").write_bytes(backup.read_bytes())
    os.chmod(pcrm_home / "pcrm.db", 0o644)
    with open_context() as ctx:
        ctx.conn.execute("UPDATE contacts SET notes = 'x'")
        made = [pcrm_home / n for n in ("pcrm.db", "pcrm.db-wal", "pcrm.db-shm")]
        assert all(p.exists() for p in made)
        assert [_mode(p) for p in made] == [0o600, 0o600, 0o600]
    assert _mode(backup) == 0o600


def test_another_users_files_keep_their_mode_and_db_check_says_why(
    cli: Any, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("init")
    os.chmod(pcrm_home, 0o755)
    os.chmod(pcrm_home / "pcrm.db", 0o644)
    owner = (pcrm_home / "pcrm.db").stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)  # pcrm now runs as someone else
    cli("contacts", "add", "--name", "Ada Lovelace")
    assert (_mode(pcrm_home), _mode(pcrm_home / "pcrm.db")) == (0o755, 0o644)

    r = cli("db", "check", ok=False)
    db = pcrm_home / "pcrm.db"
    assert f"{db} is mode 0644, readable by others; it belongs to another user (uid {owner})" in r.stdout
    assert f"chmod go-rwx {db}" in r.stdout
    r = cli.json("db", "check", "--fix", ok=False)  # --fix too leaves them alone
    assert r["data"]["fixed"] == [] and len(r["data"]["problems"]) >= 2
    assert (_mode(pcrm_home), _mode(pcrm_home / "pcrm.db")) == (0o755, 0o644)
    assert cli.json("db", "check", ok=False)["data"]["tightened"] == []


def test_a_refused_chmod_never_fails_the_command_and_db_check_says_why(
    cli: Any, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("init")
    os.chmod(pcrm_home / "pcrm.db", 0o644)

    def refused(path: Any, mode: int, **kw: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted", str(path))

    monkeypatch.setattr(os, "chmod", refused)  # a file system that keeps its own modes
    cli("contacts", "add", "--name", "Ada Lovelace")
    assert cli.json("contacts", "list")["meta"]["total"] == 1
    assert _mode(pcrm_home / "pcrm.db") == 0o644

    r = cli("db", "check", ok=False)
    db = pcrm_home / "pcrm.db"
    assert (
        f"{db} is mode 0644, readable by others, and pcrm could not change it when it opened the store: "
        "Operation not permitted"
    ) in r.stdout
    r = cli("db", "check", "--fix", ok=False)
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)  # said, not a traceback
    assert "pcrm could not change it: Operation not permitted" in r.stdout


def test_a_store_elsewhere_than_pcrm_home_is_not_touched(pcrm_home: Path, tmp_path: Path) -> None:
    """Only PCRM_HOME's store is pcrm's: a database opened by path (a test's, a tool's) keeps its modes."""
    from pcrm.services.context import open_context

    folder = tmp_path / "elsewhere"
    folder.mkdir()
    os.chmod(folder, 0o755)
    open_context(folder / "other.db").close()
    os.chmod(folder / "other.db", 0o644)
    open_context(folder / "other.db").close()
    assert (_mode(folder), _mode(folder / "other.db")) == (0o755, 0o644)


# ---------------------------------------------------------------- what pcrm writes, under any umask


def test_backups_and_exports_are_private_whatever_the_umask(
    cli: Any, pcrm_home: Path, tmp_path: Path, umask: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    cli("init")
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--birthday", "1815-12-10")
    written = [
        Path(cli.json("db", "backup")["data"]["path"]),
        Path(cli.json("db", "backup", str(out / "mine.db"))["data"]["path"]),
        Path(cli.json("db", "backup", str(out))["data"]["path"]),
    ]
    restored = cli.json("db", "restore", str(written[1]), "--yes")["data"]
    written.append(Path(restored["previous_saved_to"]))  # the automatic backup before a restore
    for fmt, target in (
        ("json", out / "all.json"),
        ("csv", out / "all.csv"),
        ("vcard", out / "all.vcf"),
        ("json", out),
        ("csv", pcrm_home / "exports"),
    ):
        before = set(target.iterdir()) if target.is_dir() else set()
        cli("export", fmt, "--output", str(target))
        written.extend(set(target.iterdir()) - before if target.is_dir() else {target})
    cli("export", "vcard", "--dir", "--output", str(out / "cards"))
    written.extend((out / "cards").iterdir())
    cli("calendar", "export", "--output", str(out / "followups.ics"), "--yes")
    written.append(out / "followups.ics")
    assert len(written) == 11 and all(p.is_file() for p in written)
    assert {p: _mode(p) for p in written} == dict.fromkeys(written, 0o600)
    assert _mode(out / "cards") == 0o700
    leftovers = [p for p in out.rglob("*") if p.name.endswith((".part", ".tmp", "-journal"))]
    assert leftovers == []


def test_secrets_run_state_and_logos_are_private_whatever_the_umask(
    cli: Any, pcrm_home: Path, monkeypatch: pytest.MonkeyPatch, umask: int
) -> None:
    from pcrm import secrets
    from pcrm.daemon import runstate
    from pcrm.sync import fetch
    from tests.support.http_fake import serve

    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    cli("init")
    secrets.put("test-secret", "value")
    runstate.write("127.0.0.1", 8765, "2026-01-01T00:00:00Z")
    with serve({"/favicon.ico": (200, {"Content-Type": "image/png"}, PNG)}) as (base, _):
        cli("orgs", "add", "Globex", "--website", base)
        cli("settings", "set", "logos.enabled", "true")
        assert cli.json("orgs", "logos")["data"]["fetched"] == 1
    logos = list((pcrm_home / "avatars").glob("org_*.png"))
    written = [*logos, pcrm_home / paths.SECRETS_FILE, runstate.path()]
    assert len(logos) == 1 and all(p.is_file() for p in written)
    assert {p: _mode(p) for p in written} == dict.fromkeys(written, 0o600)
    assert paths.loose_modes() == []


def test_a_pcrm_home_holding_other_files_keeps_its_mode_and_special_bits_stay(
    cli: Any, pcrm_home: Path
) -> None:
    """PCRM_HOME set to a folder that also holds the user's own files (the home folder, a shared folder) keeps
    its mode: only pcrm's files in it are made private. A folder's setgid and sticky bits are never lost."""
    cli("init")
    cli("db", "backup")
    (pcrm_home / "notes.txt").write_text("the user's own file")
    _loosen(pcrm_home)
    os.chmod(pcrm_home, 0o3775)
    os.chmod(pcrm_home / "backups", 0o2775)
    cli("contacts", "list")
    assert _mode(pcrm_home) == 0o3775 and _mode(pcrm_home / "notes.txt") == 0o644
    assert _mode(pcrm_home / "pcrm.db") == 0o600 and _mode(pcrm_home / "backups") == 0o2700
    # pcrm's files alone in it: the folder is pcrm's, made private with its special bits
    (pcrm_home / "notes.txt").unlink()
    cli("contacts", "list")
    assert _mode(pcrm_home) == 0o3700


def _forget_the_walk() -> None:
    """The store as an older pcrm left it: opening has never walked pcrm's folders."""
    from pcrm.services.context import open_context
    from pcrm.store.db import ALL_PRIVATE_AT

    with open_context() as ctx:
        ctx.conn.execute("DELETE FROM settings WHERE key = ?", (ALL_PRIVATE_AT,))


def test_photos_an_older_pcrm_wrote_are_made_private_once_when_the_store_is_opened(
    cli: Any, pcrm_home: Path
) -> None:
    """Photos in avatars/ (and its sub-folders) written 0644 by an older pcrm stayed readable by others until
    the user ran `pcrm db check --fix`. The first opening walks pcrm's folders once and the store remembers
    it: a walk of 5,000 photos costs ~18 ms, too much for every command [private-files]."""
    cli("init")
    sub = pcrm_home / "avatars" / "linkedin"
    sub.mkdir()
    photos = [pcrm_home / "avatars" / "ada.jpg", pcrm_home / "avatars" / "org_globex.png", sub / "grace.jpg"]
    for p in photos:
        p.write_bytes(PNG)
        os.chmod(p, 0o644)
    os.chmod(sub, 0o2755)
    # (a PCRM_HOME holding the user's files too keeps the sub-folders of pcrm's folders as they are:
    # test_file_modes.test_db_check_in_a_shared_pcrm_home_looks_only_at_pcrms_files)
    _forget_the_walk()

    r = cli("contacts", "list")  # any command
    assert "private" not in r.stdout + r.stderr  # quietly
    assert [_mode(p) for p in photos] == [0o600] * 3 and _mode(sub) == 0o2700
    r = cli("db", "check")  # exit 0, saying what opening changed
    for p in photos:
        assert f"made private: {p}: 0644 -> 0600, when pcrm opened the store at " in r.stdout, p
    assert f"made private: {sub}: 2755 -> 2700" in r.stdout

    # once: a photo loosened since is for `pcrm db check` (pcrm writes its photos 0600)
    os.chmod(photos[2], 0o644)
    cli("contacts", "list")
    assert _mode(photos[2]) == 0o644
    assert f"{photos[2]} is mode 0644" in cli("db", "check", ok=False).stdout


def test_in_a_shared_pcrm_home_only_the_names_pcrm_writes_in_its_folders_are_made_private(
    cli: Any, pcrm_home: Path
) -> None:
    """PCRM_HOME=$HOME: every opening chmodded every file directly in ~/backups, ~/exports and ~/run, and the
    once-only walk every file in ~/avatars, the user's own included (their tax return in ~/backups, their
    avatars/ada.jpg). Now in a PCRM_HOME holding the user's files too, only the names pcrm writes there are
    pcrm's (`pcrm-*.db` backups, `pcrm-STAMP.csv` exports, `<uuid>.jpg` photos, `org_<uuid>.png` logos, the
    run state); a folder of pcrm's name holding the user's files too keeps its mode [private-files]."""
    cli("init")
    backup = Path(cli.json("db", "backup")["data"]["path"])
    export = Path(cli.json("export", "csv", "--output", str(pcrm_home / "exports"))["data"]["path"])
    _forget_the_walk()
    (pcrm_home / "notes.txt").write_text("the user's own")  # PCRM_HOME is their home folder
    ours = [
        backup,
        export,
        pcrm_home / "avatars" / "1b4e28ba-2fa1-41d2-883f-0016d3cca427.jpg",
        pcrm_home / "avatars" / "org_1b4e28ba-2fa1-41d2-883f-0016d3cca427.png",
    ]
    theirs = [
        pcrm_home / "backups" / "tax-2023.pdf",
        pcrm_home / "backups" / "phone.db",
        pcrm_home / "exports" / "contacts.csv",
        pcrm_home / "avatars" / "ada.jpg",
        pcrm_home / "avatars" / "pcrm-logo.png",
    ]
    for p in ours + theirs:
        if not p.exists():
            p.write_bytes(PNG)
        os.chmod(p, 0o644)
    for folder in ("backups", "exports", "avatars"):
        os.chmod(pcrm_home / folder, 0o2775)

    cli("contacts", "list")  # the opening, and the once-only walk
    assert {p: _mode(p) for p in ours} == dict.fromkeys(ours, 0o600)
    assert {p: _mode(p) for p in theirs} == dict.fromkeys(theirs, 0o644)
    assert [_mode(pcrm_home / f) for f in ("backups", "exports", "avatars")] == [0o2775] * 3  # theirs too
    r = cli.json("db", "check")
    assert r["data"]["problems"] == [] and r["data"]["fixed"] == []
    said = {c["path"] for event in r["data"]["tightened"] for c in event["changed"]}
    assert said == set(map(str, ours)), said

    # the user's files gone, pcrm's folders hold only pcrm's: they are pcrm's, with their special bits
    for p in theirs:
        p.unlink()
    cli("contacts", "list")
    assert [_mode(pcrm_home / f) for f in ("backups", "exports")] == [0o2700] * 2
    # the logo planted above is no organization's: --fix takes it away too [bulk-undo]
    assert cli.json("db", "check", "--fix")["data"]["fixed"] == [
        f"{pcrm_home / 'avatars'}: 2775 -> 2700",
        f"{pcrm_home / 'avatars'}: removed 1 logo file nothing points at any more",
    ]


def _photos(home: Path) -> list[Path]:
    """Photos copied back into avatars/ with `cp` under umask 022 (0644), beside a store."""
    photos = [home / "avatars" / f"1b4e28ba-2fa1-41d2-883f-0016d3cca42{n}.jpg" for n in range(3)]
    for p in photos:
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(PNG)
        os.chmod(p, 0o644)
    return photos


def test_a_restored_store_walks_its_folders_again(cli: Any, pcrm_home: Path) -> None:
    """A backup taken after the once-only walk brought its note of the walk back with it: after `pcrm db
    restore`, photos copied in beside the store stayed readable by others until `pcrm db check --fix`. A
    restore now walks pcrm's folders, and `pcrm db check` says what it changed [private-files]."""
    cli("init")  # walked
    cli("contacts", "add", "--name", "Ada Lovelace")
    backup = cli.json("db", "backup")["data"]["path"]
    photos = _photos(pcrm_home)  # a new machine: the photos copied back, then the backup restored
    before = dump_store(Path(backup))
    cli("db", "restore", backup, "--yes")
    assert [_mode(p) for p in photos] == [0o600] * 3
    assert dump_store(pcrm_home / "pcrm.db") == before  # the store is the backup's, note and all
    r = cli("db", "check")
    for p in photos:
        assert f"made private: {p}: 0644 -> 0600, when pcrm opened the store at " in r.stdout, p
    os.chmod(photos[0], 0o644)  # once: a photo loosened since is for `pcrm db check`
    cli("contacts", "list")
    assert _mode(photos[0]) == 0o644


def test_a_file_of_the_users_named_like_pcrms_keeps_pcrm_home_as_it_is(cli: Any, pcrm_home: Path) -> None:
    """Any `*.tmp` or `pcrm.db*` counted as pcrm's: a folder holding pcrm's files and the user's `draft.tmp`
    was made 0700 as if it were pcrm's alone [private-files]."""
    cli("init")
    for name in ("draft.tmp", "pcrm.db.old"):
        (pcrm_home / name).write_text("the user's own")
        os.chmod(pcrm_home / name, 0o644)
        os.chmod(pcrm_home, 0o755)
        cli("contacts", "list")
        assert (_mode(pcrm_home), _mode(pcrm_home / name)) == (0o755, 0o644), name
        (pcrm_home / name).unlink()
    (pcrm_home / "completion.json.4242.tmp").write_text("{}")  # the completion cache half written: pcrm's
    cli("contacts", "list")
    assert _mode(pcrm_home) == 0o700
