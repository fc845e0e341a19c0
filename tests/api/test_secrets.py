"""The secret store [secret-store]: keyring first, else a 0600 file, encrypted with PCRM_SECRET_KEY."""

from __future__ import annotations

import stat
from typing import Any

import pytest

from pcrm import secrets
from pcrm.errors import PcrmError


def test_file_backend_round_trip_and_mode(pcrm_home: Any) -> None:
    assert secrets.backend_name() == "file"
    secrets.put("jwt_secret", "s3cret-value")
    secrets.put("google_refresh", "1//token")
    assert secrets.get("jwt_secret") == "s3cret-value"
    assert secrets.names() == ["google_refresh", "jwt_secret"]
    f = secrets.file_path()
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    raw = f.read_bytes()
    assert b"s3cret-value" not in raw and b"1//token" not in raw
    assert b'"obfuscated"' in raw
    secrets.delete("google_refresh")
    assert secrets.get("google_refresh") is None and secrets.names() == ["jwt_secret"]
    assert secrets.wipe() == 1 and not f.exists()


def test_file_is_encrypted_with_pcrm_secret_key(pcrm_home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets.put("a", "obfuscated first")
    monkeypatch.setenv("PCRM_SECRET_KEY", "correct horse battery staple")
    assert secrets.get("a") == "obfuscated first"  # an obfuscated file stays readable
    secrets.put("b", "now encrypted")  # and the next write encrypts it
    assert b'"encrypted"' in secrets.file_path().read_bytes()
    monkeypatch.setenv("PCRM_SECRET_KEY", "a different key")
    with pytest.raises(PcrmError) as e:
        secrets.get("a")
    assert "PCRM_SECRET_KEY" in (e.value.hint or "")
    monkeypatch.delenv("PCRM_SECRET_KEY")
    with pytest.raises(PcrmError):
        secrets.get("a")
    monkeypatch.setenv("PCRM_SECRET_KEY", "correct horse battery staple")
    assert secrets.get("b") == "now encrypted" and secrets.get("a") == "obfuscated first"


class MemoryKeyring:
    """An in-memory keyring backend for tests (keyring ships none)."""

    def __new__(cls) -> Any:
        from keyring.backend import KeyringBackend

        class _Mem(KeyringBackend):
            priority = 1  # type: ignore[assignment]

            def __init__(self) -> None:
                super().__init__()
                self.items: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.items.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.items[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                from keyring.errors import PasswordDeleteError

                if self.items.pop((service, username), None) is None:
                    raise PasswordDeleteError(username)

        return _Mem()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Any:
    import keyring

    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    monkeypatch.delenv("PCRM_SECRETS_BACKEND")
    yield kr
    keyring.set_keyring(previous)


def test_keyring_is_used_when_a_backend_exists(
    pcrm_home: Any, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    assert secrets.backend_name() == "keyring"
    secrets.put("jwt_secret", "in the keyring")
    assert secrets.get("jwt_secret") == "in the keyring"
    assert not secrets.file_path().exists()
    assert "in the keyring" in memory_keyring.items.values()
    # another PCRM_HOME has its own secrets
    monkeypatch.setenv("PCRM_HOME", str(tmp_path / "other"))
    assert secrets.get("jwt_secret") is None
    monkeypatch.setenv("PCRM_HOME", str(pcrm_home))
    assert secrets.names() == ["jwt_secret"]
    assert secrets.wipe() == 1 and secrets.get("jwt_secret") is None and secrets.names() == []


def test_no_keyring_backend_falls_back_to_the_file(pcrm_home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.delenv("PCRM_SECRETS_BACKEND")
        assert secrets.backend_name() == "file"
        secrets.put("x", "y")
        assert secrets.file_path().exists()
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def fresh_passphrases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no passphrase remembered and no prompt."""
    monkeypatch.setattr(secrets, "_passphrase", {})
    monkeypatch.setattr(secrets, "_prompt", None)


def test_a_passphrase_encrypts_the_file_and_is_asked_for(
    pcrm_home: Any, cli: Any, monkeypatch: pytest.MonkeyPatch, fresh_passphrases: None
) -> None:
    """[secret-store]: without a keyring and without PCRM_SECRET_KEY, `pcrm secrets encrypt` protects the file
    with a passphrase that is never stored; reading it again needs the passphrase (asked at a terminal, or
    given
    as PCRM_SECRET_KEY to a daemon)."""
    secrets.put("jwt_secret", "s3cret-value")
    out = cli("secrets", "encrypt", "--json", input="correct horse\ncorrect horse\n")
    import json

    body = json.loads(out.stdout.splitlines()[-1])
    assert body["data"]["protection"] == "encrypted" and body["data"]["secrets"] == 1
    raw = secrets.file_path().read_bytes()
    assert b'"encrypted"' in raw and b"s3cret-value" not in raw

    monkeypatch.setattr(secrets, "_passphrase", {})  # a new process: nothing remembered
    with pytest.raises(PcrmError) as e:
        secrets.get("jwt_secret")
    assert "passphrase" in (e.value.hint or "")
    asked: list[int] = []
    secrets.set_prompt(lambda: asked.append(1) or "correct horse")
    assert secrets.get("jwt_secret") == "s3cret-value"
    secrets.put("google_refresh", "1//token")  # asked once; the next write stays encrypted
    assert asked == [1] and b'"encrypted"' in secrets.file_path().read_bytes()

    monkeypatch.setattr(secrets, "_passphrase", {})
    secrets.set_prompt(lambda: "wrong passphrase")
    with pytest.raises(PcrmError, match="another key or passphrase"):
        secrets.get("jwt_secret")
    secrets.set_prompt(None)
    monkeypatch.setenv("PCRM_SECRET_KEY", "correct horse")  # the same passphrase, for a daemon
    assert secrets.names() == ["google_refresh", "jwt_secret"]


def test_secrets_status_and_refusals(pcrm_home: Any, cli: Any, fresh_passphrases: None) -> None:
    secrets.put("jwt_secret", "s3cret-value")
    out = cli("secrets", "status")
    assert "obfuscated" in out.stdout and "s3cret-value" not in out.stdout
    assert cli.json("secrets", "status")["data"]["file"] == "obfuscated"
    short = cli("secrets", "encrypt", "--json", input="short\nshort\n", ok=False)
    assert '"validation_error"' in short.stdout
    assert b'"obfuscated"' in secrets.file_path().read_bytes()  # unchanged


def test_serve_without_the_passphrase_is_a_clear_error(
    pcrm_home: Any, cli: Any, fresh_passphrases: None
) -> None:
    """The daemon reads its signing secret before it starts: without a terminal to ask at and without
    PCRM_SECRET_KEY, an encrypted file is an error with a hint, not uvicorn's "startup failed"."""
    cli("secrets", "encrypt", input="correct horse\ncorrect horse\n")
    secrets._passphrase.clear()
    r = cli("serve", "--port", "1", ok=False)
    assert r.exit_code == 1
    assert "encrypted and no key or passphrase was given" in r.stderr and "PCRM_SECRET_KEY" in r.stderr
