"""Every API operation, one module per resource. `all_ops()` is the route table."""

from __future__ import annotations

from pcrm.api.declare import Op
from pcrm.api.routes import (
    auth,
    contacts,
    diagnostics,
    enrich,
    extension,
    identity,
    imports,
    integrations,
    interactions,
    notifications,
    organizations,
    settings,
    static,
    suggestions,
    sync,
)


def all_ops() -> list[Op]:
    ops: list[Op] = []
    for module in (
        diagnostics,
        auth,
        contacts,
        interactions,
        enrich,
        identity,
        imports,
        sync,
        suggestions,
        organizations,
        notifications,
        settings,
        integrations,
        extension,
        static,
    ):
        ops.extend(module.OPS)
    return ops


def not_implemented() -> list[Op]:
    return [o for o in all_ops() if not o.implemented]
