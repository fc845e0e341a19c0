"""The secret store [secret-store]: the OS keyring first, else an encrypted 0600 file under PCRM_HOME.

What goes here: the JWT signing secret, OAuth refresh tokens, session strings, API keys, webhook secrets.
Values never reach the database, logs, exports or `--json`; nothing in this module logs a value.

Backends
- keyring: one item per secret, service `pcrm:<PCRM_HOME>` so two stores on one machine never share
  secrets. Keyring cannot list items, so the names are kept in an index item.
- file: `PCRM_HOME/secrets.bin`, mode 0600, a Fernet token over a JSON object. With `PCRM_SECRET_KEY`
  set, or a passphrase (`pcrm secrets encrypt`; asked for at the terminal when the file needs it), the
  Fernet key is derived from it with scrypt and a random salt: the file is encrypted. Without either,
  the key is a constant built into pcrm: the file is only **obfuscated**, protected by its 0600 mode
  and nothing else. Setting PCRM_SECRET_KEY later re-encrypts the file on the next write.

`PCRM_SECRETS_BACKEND=keyring|file` forces a backend; by default keyring is used when a real backend
exists (headless Linux and CI have none, and fall back to the file).
"""

from __future__ import annotations

import base64
import contextlib
import os
import threading
from pathlib import Path
from typing import Any

from pcrm import paths
from pcrm.errors import PcrmError, ValidationError

FILE_NAME = paths.SECRETS_FILE
_INDEX = "__pcrm_secret_names__"
_OBFUSCATION_KEY = b"pcrm-obfuscation-only-not-a-secret"  # see module docstring: not encryption
_lock = threading.RLock()
_derived: dict[tuple[bytes, bytes], bytes] = {}
_passphrase: dict[str, bytes] = {}  # file path -> the passphrase given in this process (never stored)


def _ask_at_the_terminal() -> str | None:
    """The passphrase typed at the terminal; None when there is no terminal (scripts, services, tests)."""
    import sys

    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass("Passphrase for pcrm's secrets: ", stream=sys.stderr)


_prompt: Any = _ask_at_the_terminal  # () -> str | None


def set_prompt(fn: Any) -> None:
    """How to ask for the passphrase of an encrypted file when PCRM_SECRET_KEY is not set (None: never;
    the default asks at the terminal when there is one)."""
    global _prompt
    _prompt = fn


def _key_material(*, asking: bool) -> bytes | None:
    """PCRM_SECRET_KEY, else the passphrase given in this process, else (asking) the prompt's answer."""
    env = os.environ.get("PCRM_SECRET_KEY", "").encode()
    if env:
        return env
    known = _passphrase.get(str(file_path()))
    if known is not None or not asking or _prompt is None:
        return known
    answer = str(_prompt() or "").encode()
    return answer or None


def _home() -> Path:
    return paths.home()


def file_path() -> Path:
    return _home() / FILE_NAME


def backend_name() -> str:
    """'keyring' or 'file': where secrets of this PCRM_HOME go."""
    forced = os.environ.get("PCRM_SECRETS_BACKEND", "").strip().lower()
    if forced in ("keyring", "file"):
        return forced
    if forced:
        raise PcrmError(
            f"PCRM_SECRETS_BACKEND must be keyring or file, not {forced!r}",
            code="bad_request",
            hint="unset PCRM_SECRETS_BACKEND to choose automatically",
        )
    try:
        import keyring
        from keyring.backends import fail

        kr = keyring.get_keyring()
        chained = getattr(kr, "backends", None)
        if isinstance(kr, fail.Keyring) or (chained is not None and not chained):
            return "file"
        return "keyring"
    except Exception:
        return "file"


# -- keyring backend ----------------------------------------------------------------------------------


def _service() -> str:
    return f"pcrm:{_home().resolve()}"


def _kr_get(name: str) -> str | None:
    import keyring

    return keyring.get_password(_service(), name)


def _kr_names() -> list[str]:
    import json

    raw = _kr_get(_INDEX)
    return list(json.loads(raw)) if raw else []


def _kr_set_names(names: list[str]) -> None:
    import json

    import keyring

    if names:
        keyring.set_password(_service(), _INDEX, json.dumps(sorted(set(names))))
    else:
        _kr_delete(_INDEX)


def _kr_delete(name: str) -> None:
    import keyring
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):
        keyring.delete_password(_service(), name)


# -- file backend -------------------------------------------------------------------------------------


def _derive(material: bytes, salt: bytes) -> bytes:
    cached = _derived.get((material, salt))
    if cached is None:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        cached = base64.urlsafe_b64encode(Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(material))
        _derived[(material, salt)] = cached
    return cached


def _obfuscation_key(salt: bytes) -> bytes:
    # no key stretching: a constant key protects nothing, so spending time on it would be theatre
    import hashlib

    return base64.urlsafe_b64encode(hashlib.sha256(_OBFUSCATION_KEY + salt).digest())


def _fernet_key(salt: bytes) -> tuple[bytes, str]:
    """The key new writes use, and the mode it gives: 'encrypted' or 'obfuscated'."""
    material = _key_material(asking=False)
    if material:
        return _derive(material, salt), "encrypted"
    return _obfuscation_key(salt), "obfuscated"


def _read_file() -> dict[str, str]:
    import json

    from cryptography.fernet import Fernet, InvalidToken

    p = file_path()
    if not p.exists():
        return {}
    blob = json.loads(p.read_bytes())
    salt = base64.b64decode(blob["salt"])
    if blob.get("mode") == "obfuscated":
        key = _obfuscation_key(salt)
        material = None
    else:
        material = _key_material(asking=True)
        if not material:
            raise PcrmError(
                f"the secret file {p} is encrypted and no key or passphrase was given",
                code="bad_request",
                hint="set PCRM_SECRET_KEY to the key or passphrase the secrets were saved with, "
                "or run the command at a terminal to be asked for it",
            )
        key = _derive(material, salt)
    try:
        values = dict(json.loads(Fernet(key).decrypt(blob["data"].encode())))
    except InvalidToken:
        raise PcrmError(
            f"cannot read the secret file {p}: it was encrypted with another key or passphrase",
            code="bad_request",
            hint="set PCRM_SECRET_KEY to the key or passphrase the secrets were saved with",
        ) from None
    if material and not os.environ.get("PCRM_SECRET_KEY"):
        _passphrase[str(p)] = material  # asked once per process; later writes stay encrypted with it
    return values


def _write_file(values: dict[str, str], *, keep_empty: bool = False) -> None:
    import json

    from cryptography.fernet import Fernet

    p = file_path()
    if not values and not keep_empty:
        p.unlink(missing_ok=True)
        return
    paths.private_dir(p.parent)
    salt = os.urandom(16)
    key, mode = _fernet_key(salt)
    token = Fernet(key).encrypt(json.dumps(values, sort_keys=True).encode()).decode()
    blob = json.dumps({"version": 1, "mode": mode, "salt": base64.b64encode(salt).decode(), "data": token})
    tmp = p.with_name(p.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, blob.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, p)


# -- public API -----------------------------------------------------------------------------------------


def get(name: str) -> str | None:
    with _lock:
        if backend_name() == "keyring":
            return _kr_get(name)
        return _read_file_remembered().get(name)


# the file's values as last read, under the key of what they were read from: the file as it was (path, inode,
# size, modification time) and PCRM_SECRET_KEY; any write replaces the file, so a changed one is read again
_remembered: tuple[tuple[Any, ...], dict[str, str]] | None = None


def _read_file_remembered() -> dict[str, str]:
    """_read_file(), without decrypting again while the file is unchanged (a daemon checks a webhook
    secret for every group of calls: reading and decrypting it took ~0.8 ms)."""
    global _remembered
    p = file_path()
    try:
        st = p.stat()
    except FileNotFoundError:
        return {}
    key = (str(p), st.st_ino, st.st_size, st.st_mtime_ns, os.environ.get("PCRM_SECRET_KEY"))
    if _remembered is not None and _remembered[0] == key:
        return dict(_remembered[1])
    values = _read_file()
    _remembered = (key, dict(values))
    return values


def put(name: str, value: str) -> None:
    if not name or name == _INDEX:
        raise ValueError("invalid secret name")
    with _lock:
        if backend_name() == "keyring":
            import keyring

            keyring.set_password(_service(), name, value)
            _kr_set_names([*_kr_names(), name])
        else:
            values = _read_file()
            values[name] = value
            _write_file(values)


def delete(name: str) -> None:
    with _lock:
        if backend_name() == "keyring":
            _kr_delete(name)
            _kr_set_names([n for n in _kr_names() if n != name])
        else:
            values = _read_file()
            if values.pop(name, None) is not None:
                _write_file(values)


def names() -> list[str]:
    with _lock:
        if backend_name() == "keyring":
            return sorted(_kr_names())
        return sorted(_read_file())


def wipe() -> int:
    """Remove every secret of this store; returns how many were removed."""
    with _lock:
        gone = names()
        if backend_name() == "keyring":
            for n in gone:
                _kr_delete(n)
            _kr_delete(_INDEX)
        file_path().unlink(missing_ok=True)
        return len(gone)


def get_or_create(name: str, factory: Any) -> str:
    """The secret `name`, created with factory() the first time it is asked for."""
    with _lock:
        value = get(name)
        if value is None:
            value = factory()
            put(name, value)
        return value


def _file_mode() -> str | None:
    """'encrypted' or 'obfuscated' as the file says, or None without a file."""
    import json

    try:
        return str(json.loads(file_path().read_bytes()).get("mode") or "encrypted")
    except FileNotFoundError:
        return None
    except ValueError:
        return "unreadable"


def describe() -> dict[str, Any]:
    """Where secrets live, for diagnostics (never the values): the backend, and for the file its path,
    how it is protected now and how the next write will protect it."""
    b = backend_name()
    out: dict[str, Any] = {"backend": b}
    if b == "file":
        out["path"] = str(file_path())
        try:  # the file's real permissions, not what pcrm meant them to be
            out["file_mode"] = f"{file_path().stat().st_mode & 0o777:04o}"
        except OSError:
            out["file_mode"] = None
        mode = _file_mode()
        out["file"] = mode or "none yet"
        keyed = bool(os.environ.get("PCRM_SECRET_KEY")) or mode == "encrypted"
        out["protection"] = (
            "encrypted" if keyed else "obfuscated (set PCRM_SECRET_KEY or run `pcrm secrets encrypt`)"
        )
    return out


def encrypt(passphrase: str) -> dict[str, Any]:
    """Encrypt the secret file with a passphrase from now on (it is read with the key it has now first).
    The passphrase is never stored: commands that need a secret ask for it at the terminal, and a daemon
    started without one needs PCRM_SECRET_KEY."""
    if backend_name() != "file":
        raise PcrmError(
            "secrets are in the OS keyring, which protects them itself",
            code="bad_request",
            hint="a passphrase applies only to the file backend (PCRM_SECRETS_BACKEND=file)",
        )
    if os.environ.get("PCRM_SECRET_KEY"):
        raise PcrmError(
            "PCRM_SECRET_KEY is set: it already encrypts the secret file",
            code="bad_request",
            hint="unset PCRM_SECRET_KEY to protect the file with a passphrase instead",
        )
    if len(passphrase) < 8:
        raise ValidationError(
            "the passphrase is too short",
            field="passphrase",
            hint="use at least 8 characters; a few unrelated words are best",
        )
    with _lock:
        values = _read_file()
        _passphrase[str(file_path())] = passphrase.encode()
        _write_file(values, keep_empty=True)  # even empty: later secrets then know to ask for it
        return {**describe(), "secrets": len(values)}
