"""The import tests' clock: the `imp` fixture runs `pcrm import PATH ... --now NOW`."""

from __future__ import annotations

NOW = "2026-03-01T12:00:00Z"
