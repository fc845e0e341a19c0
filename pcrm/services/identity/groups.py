"""Contacts being merged in one scan: union-find groups that honour rejected pairs, and the
automatic backup taken once before the first merge."""

from __future__ import annotations

from typing import Any

from pcrm.domain import identity as dom
from pcrm.services.context import Context
from pcrm.services.merge import merge_pair
from pcrm.store.backup import auto_backup
from pcrm.store.db import connect


class Groups:
    """Union-find over contacts during one scan: who has been merged into whom, and which rowid
    currently holds each group. Rejected pairs between two groups block their union."""

    def __init__(self, people: list[dom.Person], rejected: set[frozenset[str]]) -> None:
        self.parent = list(range(len(people)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(people))}
        self.holder: dict[int, int] = {i: p.rowid for i, p in enumerate(people)}
        self.people = people
        self.partners: dict[str, set[str]] = {}
        for pair in rejected:
            if len(pair) == 2:
                x, y = tuple(pair)
                self.partners.setdefault(x, set()).add(y)
                self.partners.setdefault(y, set()).add(x)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def blocked(self, ri: int, rj: int) -> bool:
        if not self.partners:
            return False
        uj = {self.people[m].uuid for m in self.members[rj]}
        return any(self.partners.get(self.people[m].uuid, set()) & uj for m in self.members[ri])

    def union(self, ri: int, rj: int, holder: int) -> None:
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        self.holder[ri] = holder
        self.holder.pop(rj, None)


def merge_groups(
    ctx: Context, g: Groups, i: int, j: int, *, score: float, method: str, explanation: Any = None
) -> dict[str, Any] | None:
    ri, rj = g.find(i), g.find(j)
    if ri == rj or g.blocked(ri, rj):
        return None
    res = merge_pair(
        ctx,
        g.holder[ri],
        g.holder[rj],
        score=score,
        method=method,
        explanation=explanation,
        refresh_scores=False,
        atomic=False,
    )
    g.union(ri, rj, res["_survivor"])
    return res


class Backup:
    """Takes the automatic backup once, just before the first merge [automatic-backups], from a second
    connection
    so it holds the state before this scan even while the scan's transaction is open."""

    def __init__(self, ctx: Context, enabled: bool) -> None:
        self.ctx, self.enabled = ctx, enabled
        self.path: str | None = None

    def take(self) -> None:
        if not self.enabled or self.path is not None:
            return

        reader = connect(self.ctx.path, migrate=False, create=False)
        try:
            self.path = str(auto_backup(reader, reason="identity-scan"))
        finally:
            reader.close()
