"""`pcrm-fake`: a deterministic stand-in model for trying pcrm's AI features without a real one, for the
benchmark, and for tests that run pcrm in a subprocess [ai-models].

It is registered with llm's plugin manager only when PCRM_FAKE_LLM=1 is set. It sends nothing anywhere:
it reads the task from pcrm's own prompt and answers from the quoted contact data (a greeting by first
name, a name split at "|", tags whose words occur in the contact's text). PCRM_FAKE_LLM_DELAY=SECONDS
makes each answer wait that long, like a remote model would.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import llm

MODEL_ID = "pcrm-fake"
ENV = "PCRM_FAKE_LLM"
_VALUE = re.compile(r"^\s*([^:\n]+): <value>(.*?)</value>", re.MULTILINE | re.DOTALL)
_registered = threading.Lock()
_done = False


def _values(prompt: str) -> dict[str, str]:
    return {k.strip(): v for k, v in _VALUE.findall(prompt)}


def _data(prompt: str) -> str:
    m = re.search(r"<(contact-data-[0-9a-f]+)>\n(.*?)\n</\1>", prompt, re.DOTALL)
    return m.group(2) if m else ""


def answer(prompt: str) -> str:
    """The fake's reply to one of pcrm's prompts."""
    v = _values(prompt)
    if prompt.startswith("Write a short follow-up message"):
        first = v.get("First name", "there")
        return f"Hi {first}, it has been too long. How are things going on your side? Let's catch up soon."
    if prompt.startswith("Extract structured profile fields"):
        full = v.get("Full name", "")
        out: dict[str, Any] = {}
        name, _, company = full.partition("|")
        parts = name.split()
        if len(parts) >= 2:
            out["given_name"], out["family_name"] = parts[0], " ".join(parts[1:])
        if company.strip():
            out["company"] = company.strip()
        return json.dumps(out)
    if prompt.startswith("Propose a MINIMAL tag taxonomy"):
        roles: set[str] = set()
        places: set[str] = set()
        for k, val in _VALUE.findall(prompt):
            if k.strip() == "title":
                roles.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", val))
            if k.strip() == "location":
                places.add(val.split(",")[0].strip().lower())
        return (
            "```json\n" + json.dumps({"Role/Expertise": sorted(roles), "Geography": sorted(places)}) + "\n```"
        )
    if prompt.startswith("Clean up this tag taxonomy"):
        return json.dumps({k: [t.strip() for t in val.split(",")] for k, val in v.items()})
    if prompt.startswith("Choose tags for one contact"):
        text = _data(prompt).lower()
        tags = re.findall(r"^- [^:]+: (.*)$", prompt.split("\n\n", 1)[0], re.MULTILINE)
        known = [t.strip() for line in tags for t in line.split(",")]
        chosen = [t for t in known if t and re.search(r"\b" + re.escape(t.lower()) + r"\b", text)]
        return json.dumps({"tags": chosen[:8]})
    if "changed their" in prompt:
        new = next((val for k, val in v.items() if k.startswith("New")), "").lower()
        if any(w in new for w in ("joined", "now at", "new role")):
            return json.dumps({"event_type": "job_change", "confidence": 0.9, "summary": "Started a new job"})
        return json.dumps({"event_type": "none", "confidence": 0.2, "summary": ""})
    return "ok"


class FakeModel(llm.Model):
    model_id = MODEL_ID
    can_stream = False

    def execute(self, prompt: Any, stream: bool, response: Any, conversation: Any) -> Iterator[str]:
        delay = float(os.environ.get("PCRM_FAKE_LLM_DELAY") or 0)
        if delay:
            time.sleep(delay)
        yield answer(prompt.prompt or "")


class _Plugin:
    __name__ = "pcrm_fake_llm"

    @llm.hookimpl
    def register_models(self, register: Any) -> None:
        register(FakeModel())


def register() -> None:
    """Add pcrm-fake to llm's models (once per process)."""
    global _done
    with _registered:
        if not _done:
            llm.plugins.pm.register(_Plugin(), name="pcrm_fake_llm")
            _done = True
