"""Model keys in pcrm's secret store and which model each feature uses [ai-models] [secret-store]."""

from __future__ import annotations

import re
from typing import Any

from pcrm import secrets
from pcrm.errors import ValidationError
from pcrm.services.ai import models
from pcrm.services.context import Context, Result

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def key_name(name: str) -> str:
    """The name a key is stored (and removed, and listed) under: llm's name, in lower case; a name llm
    could not have is refused."""
    n = name.strip().lower()
    if not _NAME.match(n):
        raise ValidationError(
            "a key name is llm's name for it, such as openai or anthropic",
            field="name",
            hint="e.g. pcrm ai key set openai (`llm keys list` shows the names llm knows)",
        )
    return n


def set_key(name: str, value: str) -> dict[str, Any]:
    v = value.strip()
    if not v:
        raise ValidationError(
            "the key is empty", field="value", hint="paste the key when asked, or pipe it in"
        )
    n = key_name(name)
    secrets.put(models.KEY_PREFIX + n, v)
    return {"name": n, "stored": True}


def has_key(name: str) -> bool:
    """Whether a model key is stored under this name (as `key_name` spells it)."""
    return secrets.get(models.KEY_PREFIX + key_name(name)) is not None


def delete_key(name: str) -> dict[str, Any]:
    """Forget a model key; `deleted` says whether there was one to forget (as `pcrm secrets rm` says)."""
    n = key_name(name)
    had = secrets.get(models.KEY_PREFIX + n) is not None
    secrets.delete(models.KEY_PREFIX + n)
    return {"name": n, "deleted": had}


def feature_models(ctx: Context) -> Result:
    """Each feature, its model (or null) and the setting that chose it."""
    out = []
    for feature, setting in models.FEATURES.items():
        c = models.choice(ctx, feature)
        out.append(
            {"feature": feature, "model": c.model_id if c else None, "setting": c.setting if c else setting}
        )
    return Result(out)
