"""Model access for every AI feature [ai-models]: which `llm` model a feature uses, its key, and calls
with bounded concurrency and retries.

- The model: the feature's own setting (`ai.compose_model`, `ai.bio_model`, `ai.tagging_model`,
  `ai.events_model`), else `ai.model`, else none. Any model llm knows works, plugins' local models too.
- The key: when the model needs one, the secret `llm.<key name>` from pcrm's secret store (`pcrm ai key
  set openai`) is passed to llm explicitly; without it llm's own lookup runs (its environment variable or
  `llm keys set`), so a machine already set up for llm needs nothing more.
- At most MAX_CONCURRENT calls run at once in this process, whatever the caller's threads.
- A call that fails on a rate limit, an overloaded server or a timeout is tried again, up to ATTEMPTS in
  all, after 1 s x 2^n +/- 0.5 s; other failures are not retried.
"""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pcrm import secrets
from pcrm.errors import FeatureDisabled, PcrmError
from pcrm.services.context import Context

log = logging.getLogger(__name__)

MAX_CONCURRENT = 5
ATTEMPTS = 3
RETRY_STATUSES = frozenset({429, 500, 502, 503, 529})
FEATURES = {
    "compose": "ai.compose_model",
    "bio": "ai.bio_model",
    "tagging": "ai.tagging_model",
    "events": "ai.events_model",
}
KEY_PREFIX = "llm."

_gate = threading.BoundedSemaphore(MAX_CONCURRENT)
# the retry wait; tests replace it (never a timed assertion)
sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class ModelChoice:
    """The model a feature will use: its id and the setting that chose it."""

    feature: str
    model_id: str
    setting: str


def choice(ctx: Context, feature: str) -> ModelChoice | None:
    """The model configured for a feature, or None (no model: templates or feature_disabled)."""
    own = FEATURES[feature]
    for key in (own, "ai.model"):
        value = ctx.setting(key)
        if value:
            return ModelChoice(feature, str(value), key)
    return None


def require(ctx: Context, feature: str, what: str) -> ModelChoice:
    """The feature's model, or feature_disabled naming the settings that turn it on."""
    chosen = choice(ctx, feature)
    if chosen is None:
        own = FEATURES[feature]
        raise FeatureDisabled(
            f"{what} needs an AI model, and none is set",
            hint=f"choose any llm model: `pcrm settings set {own} MODEL` (or `ai.model` for every feature); "
            "`llm models` lists them",
            details={"setting": own},
        )
    return chosen


def _model(chosen: ModelChoice) -> Any:
    import llm  # ~150-400 ms: only the commands that call a model pay it

    if os.environ.get("PCRM_FAKE_LLM") == "1":
        from pcrm.services.ai import fake

        fake.register()

    try:
        return llm.get_model(chosen.model_id)
    except llm.UnknownModelError:
        raise PcrmError(
            f"llm knows no model {chosen.model_id!r} (from `{chosen.setting}`)",
            code="bad_request",
            hint="`llm models` lists the models llm knows; install a plugin (e.g. `llm install llm-ollama` "
            f"for local models) or change it: `pcrm settings set {chosen.setting} MODEL`",
            details={"model": chosen.model_id, "setting": chosen.setting},
        ) from None


def _key(model: Any) -> str | None:
    alias = getattr(model, "needs_key", None)
    if not alias:
        return None
    return secrets.get(KEY_PREFIX + alias)


# a key in a URL's query string (`?key=`, `&api_key=`, ...), as REST plugins send it and HTTP errors quote it
_KEY_IN_URL = re.compile(r"(?i)([?&](?:key|api[_-]?key|access[_-]?token|token)=)[^&#\s'\"]+")
REDACTED = "[redacted]"


def _keys_of(model: Any, key: str | None) -> list[str]:
    """The keys a call to `model` may carry: pcrm's stored one and the one llm's own lookup finds."""
    found = [key] if key else []
    try:
        theirs = model.get_key(key) if getattr(model, "needs_key", None) else None
    except Exception:  # NeedsKeyException: llm found none
        theirs = None
    if theirs and theirs not in found:
        found.append(str(theirs))
    return found


def redact(text: str, keys: list[str]) -> str:
    """A model's error text with its keys taken out [ai-models] [secret-store]: plugins' HTTP errors quote
    the URL they called, and some APIs take the key in the query string."""
    for k in keys:
        if len(k) >= 4:
            text = text.replace(k, REDACTED)
    return _KEY_IN_URL.sub(lambda m: m.group(1) + REDACTED, text)


def _retryable(e: BaseException) -> bool:
    if isinstance(e, TimeoutError):
        return True
    status = getattr(e, "status_code", None) or getattr(getattr(e, "response", None), "status_code", None)
    if isinstance(status, int) and status in RETRY_STATUSES:
        return True
    name = type(e).__name__.lower()
    return any(w in name for w in ("ratelimit", "timeout", "overloaded"))


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt n+1 (n from 0): 1 s x 2^n, +/- 0.5 s of jitter."""
    return max(0.0, 2.0**attempt + random.uniform(-0.5, 0.5))


def _options(model: Any, max_tokens: int | None) -> dict[str, Any]:
    fields = getattr(getattr(model, "Options", None), "model_fields", {})
    return {"max_tokens": max_tokens} if max_tokens and "max_tokens" in fields else {}


def complete(chosen: ModelChoice, prompt: str, *, max_tokens: int | None = None) -> str:
    """The model's text answer to one prompt (upstream_error when it keeps failing)."""
    model = _model(chosen)
    key = _key(model)
    options = _options(model, max_tokens)
    last: BaseException | None = None
    for attempt in range(ATTEMPTS):
        try:
            with _gate:
                return str(model.prompt(prompt, key=key, **options).text())
        except PcrmError:
            raise
        except Exception as e:
            last = e
            if attempt + 1 >= ATTEMPTS or not _retryable(e):
                break
            log.info("model %s: %s; trying again", chosen.model_id, type(e).__name__)
            sleep(backoff(attempt))
    assert last is not None
    said = redact(str(last), _keys_of(model, key))
    raise PcrmError(
        f"the AI model {chosen.model_id} failed: {type(last).__name__}: {said[:200]}",
        code="upstream_error",
        hint=_failure_hint(chosen, model, last),
        details={"model": chosen.model_id},
    ) from None


def _failure_hint(chosen: ModelChoice, model: Any, e: BaseException) -> str:
    """What fixes a failed call: the key when llm found none (pcrm's own command, not llm's), else a try."""
    alias = getattr(model, "needs_key", None)
    if alias and type(e).__name__ == "NeedsKeyException":
        return f"store the key with `pcrm ai key set {alias}`, or change `{chosen.setting}`"
    return (
        f"check the model and its key (`llm -m {chosen.model_id} hi` tries it), or change `{chosen.setting}`"
    )


def complete_many(
    chosen: ModelChoice, prompts: list[str], *, max_tokens: int | None = None
) -> list[str | PcrmError]:
    """Answers to many prompts, MAX_CONCURRENT at a time; a failing prompt gives its error in its place."""
    if not prompts:
        return []
    _model(chosen)  # an unknown model fails once, before any thread starts
    from concurrent.futures import ThreadPoolExecutor

    def one(p: str) -> str | PcrmError:
        try:
            return complete(chosen, p, max_tokens=max_tokens)
        except PcrmError as e:
            return e

    with ThreadPoolExecutor(max_workers=MAX_CONCURRENT) as pool:
        return list(pool.map(one, prompts))
