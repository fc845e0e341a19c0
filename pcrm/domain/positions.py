"""A contact's position, its company and its title, as one fact [job-changes].

`plan` decides what a record that brings a company or a title does to the position a contact holds, given
the fields the user edited by hand [protected-fields]. A position never mixes two employers: a record that
names another employer than the one held writes its company and its title together, or neither (no new
company beside the old job's title, no new title beside the old company); what is not written is kept
aside as a value, never dropped.

- Another employer (both companies given, unlike by org-dedupe's company key, so "Acme" and "ACME Inc."
  are one): a source that owns the position (LinkedIn: a Connections.csv, the extension's push) moves it
  whole, company and title together, the title cleared when the record gives none; a title the user
  typed belonged to the old job, so it goes too (the `job_change` event keeps it) and its mark with it.
  A company the user typed, or a source that only fills (a vCard, a CSV, Google), keeps the held position
  whole: the record's company and title are kept aside.
- The same employer, or a company on one side only (no two employers to mix): each half on its own, as
  any field: an owning source replaces it, another fills it when empty, a hand edit keeps it (an empty
  field the user cleared included), and what differs and is not written is kept aside. One exception:
  an owning source's title given without a company (the push cuts it from a headline, "Professor at
  Yale", when the profile names no company) is not written beside the company held, which may be the
  old job's: it is kept aside.

`change` says whether the position a contact held and the one it now holds differ as a job change does
(another employer, or another title), in the words of the event.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from pcrm.domain import normalize as n
from pcrm.domain.identity_names import company_key

FIELDS = frozenset({"company", "title"})


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def other_employer(old: str | None, new: str | None) -> bool:
    """Whether two company names, both given, name different employers ("Acme" and "ACME Inc." do not)."""
    if not old or not new:
        return False
    a, b = company_key(old), company_key(new)
    return a != b if a and b else n.fold(old) != n.fold(new)


@dataclass(frozen=True)
class Plan:
    """What a record writes of the position: `updates` for company and title (a title of None clears it),
    `kept`, the record's fields kept aside as values (never dropped), and `unmarked`, the hand-edit marks
    the move ends (the title the user typed for the old job)."""

    updates: dict[str, str | None] = field(default_factory=dict)
    kept: tuple[str, ...] = ()
    unmarked: frozenset[str] = frozenset()


def plan(held: Mapping[str, Any], record: Mapping[str, Any], edited: Set[str], *, owned: bool) -> Plan:
    """The position a record leaves on a contact (see the module's rules); `owned`: the source owns it."""
    old = {"company": _text(held.get("company")), "title": _text(held.get("title"))}
    new = {"company": _text(record.get("company")), "title": _text(record.get("title"))}
    differs = {f: bool(new[f]) and n.fold(new[f] or "") != n.fold(old[f] or "") for f in FIELDS}
    whole = Plan(kept=tuple(f for f in ("company", "title") if differs[f]))  # the record's, kept aside
    if other_employer(old["company"], new["company"]):
        if not owned or "company" in edited:
            return whole  # the held position stands; another employer's title is not paired with it
        updates: dict[str, str | None] = {"company": new["company"]}
        if n.fold(new["title"] or "") != n.fold(old["title"] or ""):
            updates["title"] = new["title"]
        return Plan(updates, unmarked=frozenset({"title"}) & frozenset(edited))
    # the same employer, or a company on one side only (no two employers to mix): each half on its own
    updates, kept = {}, []
    for f in ("company", "title"):
        if not differs[f]:
            continue
        if f == "title" and owned and old["company"] and not new["company"]:
            kept.append(f)  # no employer named: the title may be another's than the company held
            continue
        if f in edited or (old[f] is not None and not owned):
            kept.append(f)
        else:
            updates[f] = new[f]
    return Plan(updates, tuple(kept))


def change(
    old_company: str | None, old_title: str | None, company: str | None, title: str | None
) -> tuple[str, str] | None:
    """(now, was) in words ("Principal Engineer at Fabrikam", "Staff Engineer at Contoso") when the held
    position and the new one differ as a job change does: another employer, or another title where both
    had one (a company or a title filled where there was none is no change of job). Else None."""
    old_c, old_t, new_c, new_t = _text(old_company), _text(old_title), _text(company), _text(title)
    moved = other_employer(old_c, new_c) or bool(old_t and new_t and n.fold(old_t) != n.fold(new_t))
    if not moved:
        return None
    return _words(new_t, new_c), _words(old_t, old_c)


def _words(title: str | None, company: str | None) -> str:
    """'Staff Engineer at Contoso', 'at Contoso' (no title known), 'Staff Engineer' (no company)."""
    return " ".join(x for x in (title, f"at {company}" if company else None) if x)
