"""The secret store (D19): keyring first, else a 0600 file, encrypted with PCRM_SECRET_KEY."""

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


def test_keyring_is_used_when_a_backend_exists(pcrm_home: Any, memory_keyring: Any,
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
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
