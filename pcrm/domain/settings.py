"""Every setting pcrm knows: key, default, validation and section, declared once [settings-registry].

Stored values live in the `settings` table as JSON; reading merges them over these defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pcrm.domain.dates import canonical_zone
from pcrm.domain.limits import MAX_BIO, MAX_SHORT, too_long
from pcrm.domain.normalize import mail_name, named_address, typed_address
from pcrm.domain.sources import SCHEDULED, SCHEDULES
from pcrm.errors import ValidationError
from pcrm.serialize import loads

Validator = Callable[[str, Any], Any]


def _set_hint(key: str, takes: str, example: str) -> str:
    """The hint of a refused value: what this key takes, and a command that sets it."""
    return f"{key} takes {takes}, e.g. pcrm settings set {key} {example}"


def _int_range(lo: int, hi: int) -> Validator:
    def check(key: str, value: Any) -> int:
        hint = _set_hint(key, f"a whole number from {lo} to {hi}", str(lo))
        if isinstance(value, bool):
            raise ValidationError(f"{key} must be a whole number from {lo} to {hi}", field=key, hint=hint)
        try:
            n = int(value)
            if str(value).strip() not in (str(n), f"{n}.0") and not isinstance(value, int):
                raise ValueError
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(inf)
            raise ValidationError(
                f"{key} must be a whole number from {lo} to {hi}, not {value!r}", field=key, hint=hint
            ) from None
        if not lo <= n <= hi:
            raise ValidationError(f"{key} must be from {lo} to {hi}, not {n}", field=key, hint=hint)
        return n

    return check


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in ("true", "1", "yes", "on"):
        return True
    if v in ("false", "0", "no", "off"):
        return False
    raise ValidationError(
        f"{key} must be true or false, not {value!r}",
        field=key,
        hint=_set_hint(key, "true or false (also yes/no, on/off, 1/0)", "true"),
    )


def _choice(*options: str) -> Validator:
    """One of `options`, read trimmed and in any case as every named choice is [strict-validation]
    (`{"schedule": "DAILY"}` is daily), stored as the option is spelled."""
    spelled = {o.casefold(): o for o in options}

    def check(key: str, value: Any) -> str:
        v = spelled.get(str(value).strip().casefold())
        if v is None:
            raise ValidationError(
                f"{key}: unknown choice {value!r}",
                field=key,
                hint=_set_hint(key, f"one of {', '.join(options)}", options[0]),
            )
        return v

    return check


def _str_or_none(key: str, value: Any) -> str | None:
    if value is None:
        return None
    v = str(value).strip()
    return v or None


def _timezone(key: str, value: Any) -> str | None:
    v = _str_or_none(key, value)
    return None if v is None else canonical_zone(v)


# Codes people type for a country that ISO 3166 spells otherwise.
_REGION_ALIASES = {"UK": "GB", "EN": "GB", "EL": "GR"}
REGION_HINT = "a two-letter ISO 3166 country code such as GB, US or DE"


def _region(key: str, value: Any) -> str | None:
    """An ISO 3166 region `phonenumbers` has numbering data for, any case [value-normalisation]."""
    v = _str_or_none(key, value)
    if v is None or v.lower() in ("none", "-"):
        return None
    code = v.upper()
    # imported here: phonenumbers costs ~40 ms, and only setting a region needs its list
    from phonenumbers import SUPPORTED_REGIONS

    if code in SUPPORTED_REGIONS:
        return code
    better = _REGION_ALIASES.get(code)
    hint = f"did you mean {better}? {key} is {REGION_HINT}" if better else f"{key} is {REGION_HINT}"
    raise ValidationError(f"{key}: {v!r} is not a country code phone numbers know", field=key, hint=hint)


def region_from_locale(env: Mapping[str, str]) -> str | None:
    """The country a POSIX locale names, as a phone region: LC_ALL, else LC_TELEPHONE, else LANG
    (en_GB.UTF-8 -> GB, de_DE@euro -> DE). None for C, POSIX, a bare language (en) or a country
    `phonenumbers` does not know: guessing a wrong region would be worse than none."""
    for var in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        value = env.get(var, "").strip()
        if not value:
            continue  # an empty variable does not count (POSIX), the next one decides
        name = value.split(".", 1)[0].split("@", 1)[0]
        lang, _, country = name.partition("_")
        if not lang or len(country) != 2 or not country.isalpha():
            return None
        try:
            return _region("phone_region", country)
        except ValidationError:
            return None
    return None


def _str_list(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        items = [p.strip() for p in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = [str(p).strip() for p in value]
    else:
        raise ValidationError(
            f"{key} must be a list (comma-separated on the command line)",
            field=key,
            hint=f"{key} takes a list: comma-separated on the command line, a JSON list in the API",
        )
    return [i for i in items if i]


_ORIGIN = re.compile(r"^(https?|chrome-extension|moz-extension)://[a-z0-9.\-\[\]:]+$")
_EXTENSION_ID = re.compile(r"^[a-p]{32}$")  # a Chrome extension id


def _origins(key: str, value: Any) -> list[str]:
    """CORS origins: a JSON list or a comma-separated string of origins (`https://host[:port]`,
    `chrome-extension://ID`) or bare Chrome extension ids; anything else is refused, naming it."""
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = loads(value)
        except Exception:
            raise ValidationError(
                f"{key}: not a JSON list: {value!r}",
                field=key,
                hint=_set_hint(key, "a JSON list or comma-separated origins", "https://app.example.com"),
            ) from None
    out = []
    for item in _str_list(key, value):
        v = item.strip().rstrip("/").lower()
        if not (_ORIGIN.match(v) or _EXTENSION_ID.match(v)):
            raise ValidationError(
                f"{key}: {item!r} is not an origin",
                field=key,
                hint="give origins like https://app.example.com or chrome-extension://ID, or a bare "
                "extension id (32 letters a-p); several as a JSON list or comma-separated",
            )
        out.append(v)
    return out


def allow_origin_hint(origin: str) -> str:
    """The hint of the 403 a browser origin gets [cors-origins-live]: the command that allows that very origin
    (a web UI such as the reference's at http://localhost:3000 as well as an extension), or the general form
    when the Origin header is no origin the setting could hold."""
    v = origin.strip().rstrip("/").lower()
    if _ORIGIN.match(v):
        return (
            f"allow it with `pcrm settings set cors_origins {v}` (the setting is the whole list: add the "
            "origins already allowed, comma-separated; `pcrm settings show cors_origins` lists them)"
        )
    return "allow a browser extension with `pcrm settings set cors_origins EXTENSION_ID`"


_PARTS = re.compile(r'(?:"[^"]*"|[^,"])+|"[^"]*$')  # comma-separated, a comma inside quotes kept
_ME_HINT = 'pcrm settings set me "Ada Lovelace, ada@example.com"'


def me_address(key: str, item: str) -> tuple[str, str]:
    """An email part of `me` as (the name it comes with, the address): a bare address, or the form mail
    programs show, `Ada Lovelace <ada@example.com>`, whose name is yours too. Anything else with an @ is
    refused, naming it: stored as it was, it matched no message, so every message you sent was read as
    one you received [me-setting]."""
    read = typed_address(item)  # Ada Lovelace <ada@example.com>, mailto:ada@x.org, as an import reads it
    if read is None:
        raise ValidationError(
            f"{key}: {item!r} is not an email address",
            field=key,
            hint="write it as ada@example.com or Ada Lovelace <ada@example.com>, e.g. "
            + ("--me 'Ada Lovelace <ada@example.com>'" if key.startswith("--") else _ME_HINT),
        )
    return read


# [text-limits]: a setting's text as typed is at most MAX_SHORT characters, as a name or URL is on a contact;
# the two that list several values (me, cors_origins) MAX_BIO; and each of me's names, emails, phones and
# handles MAX_SHORT, as the same value on a contact
_LIST_TEXT = ("me", "cors_origins")


def text_cap(key: str) -> int:
    """The most characters the text typed for setting `key` takes [text-limits]."""
    return MAX_BIO if key in _LIST_TEXT else MAX_SHORT


def _me_capped(key: str, out: dict[str, list[str]]) -> dict[str, list[str]]:
    """`me`'s parts, each value at most MAX_SHORT characters [text-limits]; else the 422 naming the part."""
    for part, values in out.items():
        for v in values:
            msg = too_long(f"{key}.{part}", v, MAX_SHORT)
            if msg:
                raise ValidationError(
                    msg.replace(f"{key}.{part} is", f"{key}: one of the {part} is", 1),
                    field=key,
                    hint=f"shorten it to at most {MAX_SHORT:,} characters; e.g. {_ME_HINT}",
                )
    return out


def me_parts(key: str, text: str) -> dict[str, list[str]]:
    """Plain `me` text: comma-separated names, emails, phones and @handles, each told by its shape
    ("Ada Lovelace, ada@example.com, +442071234567, @ada"; "Ada Lovelace <ada@example.com>" is a name
    and an email) [me-setting]."""
    out: dict[str, list[str]] = {"names": [], "emails": [], "phones": [], "handles": []}
    for item in (x.strip() for x in _PARTS.findall(text)):
        if not item:
            continue
        if item.startswith("@"):
            out["handles"].append(item.lstrip("@"))
        elif "@" in item or named_address(item):
            name, addr = me_address(key, item)
            out["names"] += [name] if name else []
            out["emails"].append(addr)
        elif item.lstrip("+").replace(" ", "").replace("-", "").isdigit():
            out["phones"].append(item)
        else:
            out["names"].append(mail_name(item))
    return _me_capped(key, {part: [v for v in values if v] for part, values in out.items()})


def _me(key: str, value: Any) -> dict[str, list[str]]:
    if isinstance(value, str):
        if not value.strip().startswith("{"):
            value = me_parts(key, value)
        else:
            try:
                value = loads(value)
            except Exception:
                raise ValidationError(
                    f"{key} must be your name (plain text, e.g. Ada Lovelace, ada@example.com) or a JSON "
                    'object such as {"names": ["Ada Lovelace"], "emails": ["ada@example.com"]}',
                    field=key,
                    hint='pcrm settings set me "Ada Lovelace, ada@example.com"',
                ) from None
    hint = _ME_HINT
    if not isinstance(value, dict):
        raise ValidationError(
            f"{key} must be an object with names, emails, phones and handles", field=key, hint=hint
        )
    out: dict[str, list[str]] = {}
    for part in ("names", "emails", "phones", "handles"):
        out[part] = _str_list(f"{key}.{part}", value.get(part, []))
    written = [me_address(f"{key}.emails", e) for e in out["emails"]]
    out["emails"] = [addr for _, addr in written]
    # a name written with its address ("Ada Lovelace <ada@example.com>") is one of the names too
    out["names"] += [name for name, _ in written if name and name not in out["names"]]
    unknown = set(value) - set(out)
    if unknown:
        raise ValidationError(
            f"{key} has unknown parts: {', '.join(sorted(unknown))}",
            field=key,
            hint=f"{key} has the parts names, emails, phones and handles; e.g. {hint}",
        )
    return _me_capped(key, out)


def _url(key: str, value: Any) -> str:
    s = str(value or "").strip().rstrip("/")
    if not re.match(r"^https?://[^\s/]+(/\S*)?$", s):
        raise ValidationError(
            f"{key} must be an http(s) URL such as http://127.0.0.1:3001",
            field=key,
            hint=_set_hint(key, "an http(s) URL", "http://127.0.0.1:3001"),
        )
    return s


# hosts a plain http:// URL may name: the machine itself (a local proxy, a test double) [settings-registry]
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def _https_url(key: str, value: Any) -> str:
    """An http(s) URL that carries the user's credentials: https, except to this machine, so a token is never
    sent in clear over a network."""
    from urllib.parse import urlsplit

    s = _url(key, value)
    scheme = s.partition("://")[0]
    try:
        host = urlsplit(s).hostname or ""
    except ValueError:  # a malformed port or IPv6 literal: not a host this check can vouch for
        host = ""
    # `?`, `#` or `\` before the path can make a client read another host than a parser does
    # (http://evil.example?@localhost): a base URL of plain http must not hold them at all
    plain_ok = host in _LOOPBACK or f"[{host}]" in _LOOPBACK
    if scheme.lower() != "https" and (not plain_ok or any(c in s for c in "?#\\")):
        raise ValidationError(
            f"{key} must use https (plain http only to 127.0.0.1 or localhost), not {s!r}",
            field=key,
            hint=_set_hint(key, "an https URL", "https" + s[len(scheme) :]),
        )
    return s


def _telegram_api_id(key: str, value: Any) -> str | None:
    """The API id of the user's Telegram app (my.telegram.org): a positive whole number, kept as its digits
    as `pcrm auth telegram` stores it."""
    v = _str_or_none(key, value)
    if v is None:
        return None
    if not v.isdecimal() or not v.isascii() or int(v) == 0:
        raise ValidationError(
            f"{key} must be a positive whole number, not {v!r}",
            field=key,
            hint=_set_hint(key, "the number my.telegram.org shows as App api_id", "12345"),
        )
    return str(int(v))


def _seconds(key: str, value: Any) -> float:
    hint = _set_hint(key, "a number of seconds from 0 to 60", "1.5")
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{key} must be a number of seconds", field=key, hint=hint) from None
    if not 0 <= f <= 60:  # NaN too
        raise ValidationError(f"{key} must be between 0 and 60 seconds", field=key, hint=hint)
    return f


def _session(key: str, value: Any) -> str:
    s = str(value or "").strip()
    if not re.match(r"^[A-Za-z0-9_.-]{1,64}$", s):
        raise ValidationError(
            f"{key} must be 1-64 ASCII letters (a-z), digits, dots, dashes or underscores",
            field=key,
            hint=_set_hint(key, "1-64 ASCII letters (a-z), digits, dots, dashes or underscores", "pcrm"),
        )
    return s


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    validate: Validator
    help: str
    secret: bool = False

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0] if "." in self.key else "general"


def _build() -> dict[str, Setting]:
    items = [
        Setting("priority.high", 30, _int_range(7, 365), "days between follow-ups for high priority"),
        Setting("priority.medium", 60, _int_range(7, 365), "days between follow-ups for medium priority"),
        Setting("priority.low", 180, _int_range(7, 365), "days between follow-ups for low priority"),
        Setting("suggestions.max_suggestions", 5, _int_range(5, 20), "suggestions per generation"),
        Setting("suggestions.include_dormant", True, _bool, "revive dormant relationships (pool B)"),
        Setting("suggestions.birthday_reminders", True, _bool, "birthday suggestions and ICS birthdays"),
        Setting(
            "suggestions.preferred_channel",
            "auto",
            _choice("auto", "email", "telegram", "twitter"),
            "channel for drafts when the contact is reachable on it",
        ),
        Setting(
            "suggestions.dormancy_threshold_days",
            365,
            _int_range(30, 3650),
            "days of silence after which a relationship is dormant",
        ),
        Setting("telegram.sync_2nd_tier", True, _bool, "import Telegram group members as 2nd-tier contacts"),
        Setting(
            "telegram.sync_bios", True, _bool, "check up to 100 Telegram bios per sync (stale after 3-7 days)"
        ),
        Setting("telegram.api_id", None, _telegram_api_id, "your Telegram app's API id (my.telegram.org)"),
        Setting("telegram.username", None, _str_or_none, "the connected Telegram account (set by login)"),
        # WhatsApp through the sidecar [whatsapp-sidecar]
        Setting("whatsapp.sidecar_url", "http://127.0.0.1:3001", _url, "where the WhatsApp sidecar listens"),
        Setting("whatsapp.session", "pcrm", _session, "this store's session id (user id) at the sidecar"),
        Setting(
            "whatsapp.backfill_days", 30, _int_range(1, 365), "days of messages pcrm sync whatsapp asks for"
        ),
        Setting("timezone", None, _timezone, "IANA zone for calendar days (default: the system zone)"),
        Setting(
            "phone_region",
            None,
            _region,
            "country of numbers written without a country code, e.g. GB (a change re-reads stored numbers)",
        ),
        Setting(
            "me",
            {"names": [], "emails": [], "phones": [], "handles": []},
            _me,
            "your own names, emails, phones and handles (direction in imports)",
        ),
        Setting("cors_origins", [], _origins, "extra origins the daemon allows (a web UI, extension ids)"),
        Setting("logos.enabled", False, _bool, "fetch organization logos from the network"),
        # geocoding [geocoding]: the Mapbox token is the secret `mapbox` (`pcrm secrets set mapbox`)
        Setting(
            "geocoding.provider",
            "none",
            _choice("none", "mapbox", "nominatim"),
            "geocode contact locations (mapbox: needs `pcrm secrets set mapbox`; nominatim: geocoding.url)",
        ),
        Setting(
            "geocoding.url",
            "https://nominatim.openstreetmap.org",
            _url,
            "the Nominatim-compatible server (provider nominatim) or the Mapbox API base (provider mapbox)",
        ),
        Setting(
            "geocoding.min_interval",
            1.0,
            _seconds,
            "seconds between geocoding requests (Nominatim's usage policy asks for 1)",
        ),
        Setting("enrichment.apollo", False, _bool, "enrich contacts through Apollo"),
        Setting("enrichment.apollo_url", "https://api.apollo.io", _https_url, "Apollo's API base URL"),
        Setting(
            "map.mapbox_public_token",
            "",
            lambda k, v: "" if v is None else str(v).strip(),
            "public Mapbox token for the map UI",
        ),
        Setting("google.client_id", None, _str_or_none, "Google OAuth client id"),
        # X through API v2 [x-api]; PCRM_X_CLIENT_ID and PCRM_X_API_URL override them
        Setting("twitter.client_id", None, _str_or_none, "X OAuth 2.0 client id (developer.x.com)"),
        Setting("twitter.api_url", "https://api.x.com", _https_url, "base URL of the X API v2"),
        Setting("twitter.username", None, _str_or_none, "the connected X account (set by pcrm auth x)"),
        Setting("ai.model", None, _str_or_none, "llm model id for AI features (none: templates)"),
        # per feature, over ai.model [ai-models]
        Setting("ai.compose_model", None, _str_or_none, "llm model for drafts (default: ai.model)"),
        Setting("ai.bio_model", None, _str_or_none, "llm model for extract-bio (default: ai.model)"),
        Setting(
            "ai.tagging_model",
            None,
            _str_or_none,
            "llm model for the taxonomy and auto-tag (default: ai.model)",
        ),
        Setting(
            "ai.events_model", None, _str_or_none, "llm model classifying bio changes (default: ai.model)"
        ),
    ]
    for spec in SCHEDULED:  # [source-registry]
        source = spec.name
        items += [
            Setting(f"sync.{source}.auto_sync", spec.auto_sync, _bool, f"sync {source} on a schedule"),
            Setting(f"sync.{source}.schedule", spec.schedule, _choice(*SCHEDULES), f"{source} schedule"),
            Setting(
                f"sync.{source}.hour", spec.hour, _int_range(0, 23), f"hour of day for {source} daily syncs"
            ),
            Setting(f"metadata_only.{source}", False, _bool, f"keep no message text from {source}"),
        ]
    # the MCP server [agent-writes]
    items += [
        Setting("mcp.allow_writes", False, _bool, "let AI agents add notes, log, tag and act on suggestions"),
    ]
    return {s.key: s for s in items}


REGISTRY: dict[str, Setting] = _build()


def name_of(typed: str) -> str:
    """A setting's (or section's) name as a user may type it, read as the registry spells it [setting-names]:
    trimmed, in any case, `-` for `_` (`Me`, `SUGGESTIONS`, `priority.HIGH`, `sync.google-calendar.hour`).
    Every key is lowercase with no `-` and none differs from another by case (a test checks it), so the
    reading is never ambiguous."""
    return str(typed).strip().lower().replace("-", "_")


def near_key(typed: str, *, keys_only: bool = False) -> str | None:
    """The key or section closest to a name that is none [setting-names]: one whose last part is the typed
    name (`max_suggestions`), else the one key that starts with it (`suggestions.max`), else difflib's closest
    at 0.75 or more (`priority.hihg`). `keys_only`: where a section is no answer (`settings set`, `reset`)."""
    name = name_of(typed)
    if not name:
        return None
    ends = sorted(k for k in REGISTRY if k.rsplit(".", 1)[-1] == name)
    if ends:
        return ends[0]
    starts = [k for k in REGISTRY if k.startswith(name)]
    if len(starts) == 1:
        return starts[0]
    import difflib

    names = sorted(REGISTRY) if keys_only else [*sorted(REGISTRY), *sections()]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return close[0] if close else None


def close_keys(typed: str, n: int = 3) -> list[str]:
    """Up to `n` keys near a name that is none, the closest first: `near_key`'s, then keys holding the typed
    name, then keys or last parts of keys that difflib finds close, then the keys of the section it names."""
    import difflib

    name = name_of(typed)
    if not name:
        return []
    keys = sorted(REGISTRY)
    found = [k for k in (near_key(typed, keys_only=True),) if k]
    found += [k for k in keys if name in k]
    found += difflib.get_close_matches(name, keys, n=n, cutoff=0.7)
    last: dict[str, list[str]] = {}
    for k in keys:
        last.setdefault(k.rsplit(".", 1)[-1], []).append(k)
    for part in difflib.get_close_matches(name, list(last), n=n, cutoff=0.7):
        found += last[part]
    if "." in name:  # a section named right: its keys (`priority.urgent`: priority.high, ...)
        section = name.rsplit(".", 1)[0] + "."
        found += [k for k in keys if k.startswith(section)]
    return list(dict.fromkeys(found))[:n]


def unknown_key(typed: str) -> ValidationError:
    """The error for a setting name that is none [setting-names]: the closest few keys and the command that
    lists them all (every key, 65 of them, made a hint nobody reads); details.valid_keys keeps every key."""
    close = close_keys(typed)
    every = f"`pcrm settings show` lists all {len(REGISTRY)} keys"
    if close:
        also = f" (or {', '.join(close[1:])})" if len(close) > 1 else ""
        hint = f"did you mean {close[0]}?{also} {every}"
    else:
        hint = every
    err = ValidationError(f"unknown setting {typed!r}", field="key", hint=hint)
    err.details["valid_keys"] = sorted(REGISTRY)
    return err


def get_setting(key: str) -> Setting:
    found = REGISTRY.get(name_of(key))
    if found is None:
        raise unknown_key(key)
    return found


def validate(key: str, value: Any) -> Any:
    return get_setting(key).validate(key, value)


def sections() -> list[str]:
    return sorted({s.section for s in REGISTRY.values()})
