"""A scripted `llm` model registered in-process through llm's plugin manager (the LIBRARY-NOTES recipe):
it records every prompt and answers with `reply(prompt)`, which a test sets."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

MODEL_ID = "scripted-test-model"


class Scripted:
    """The test's handle: prompts seen, the reply function, concurrency observed."""

    def __init__(self) -> None:
        self.prompts: list[str] = []
        self.reply: Callable[[str], str] = lambda p: "ok"
        self.lock = threading.Lock()
        self.running = 0
        self.most_at_once = 0
        self.hold: threading.Event | None = None  # when set, calls wait for it (concurrency tests)


def register(state: Scripted) -> Callable[[], None]:
    """Register the scripted model; returns the function that unregisters it."""
    import llm

    class Model(llm.Model):
        model_id = MODEL_ID
        can_stream = False

        def execute(self, prompt: Any, stream: bool, response: Any, conversation: Any) -> Iterator[str]:
            text = prompt.prompt or ""
            with state.lock:
                state.prompts.append(text)
                state.running += 1
                state.most_at_once = max(state.most_at_once, state.running)
            try:
                if state.hold is not None:
                    state.hold.wait(5)
                yield state.reply(text)
            finally:
                with state.lock:
                    state.running -= 1

    class Plugin:
        __name__ = "pcrm_test_scripted"

        @llm.hookimpl
        def register_models(self, register: Any) -> None:
            register(Model())

    plugin = Plugin()
    llm.plugins.pm.register(plugin, name="pcrm_test_scripted")
    return lambda: llm.plugins.pm.unregister(plugin)


def scripted_fixture(monkeypatch: Any, tmp_path: Any) -> Iterator[Scripted]:
    """Body of the `scripted` fixture: llm pointed at a temp dir, installed plugins ignored, the scripted
    model registered and chosen in `ai.model`, retry waits skipped."""
    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    monkeypatch.setenv("LLM_LOAD_PLUGINS", "")
    from pcrm.services.ai import models

    monkeypatch.setattr(models, "sleep", lambda s: None)
    state = Scripted()
    unregister = register(state)
    try:
        yield state
    finally:
        unregister()
