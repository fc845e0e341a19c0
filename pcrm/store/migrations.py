"""Append-only, named migrations applied on every open (the llm pattern over apsw).

Never edit or reorder a migration that has shipped: add a new function to MIGRATIONS instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import apsw

from pcrm import clock
from pcrm.errors import PcrmError
from pcrm.store import settings
from pcrm.store.backup import auto_backup
from pcrm.store.contacts import fill_plain_names, fill_umlaut_names
from pcrm.store.search import (
    fidelity_documents,
    flush_dirty,
    refold_documents,
    rejoin_documents,
    rewrite_documents,
    script_documents,
    spelling_documents,
    tag_documents,
)


def _sql(name: str) -> str:
    from importlib import resources

    return resources.files("pcrm.store").joinpath(name).read_text(encoding="utf-8")


def m001_initial(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m001.sql"))


def m002_search(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m002.sql"))
    flush_dirty(conn)  # index what an m001 store already holds now, not at the next write


def m003_identity_indexes(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m003_identity_indexes.sql"))


def m004_view_indexes(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m004_view_indexes.sql"))


def m005_map_index(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m005_map_index.sql"))


def m006_search_index(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m006_search_index.sql"))


def m007_org_merges(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m007_org_merges.sql"))


def m008_phone_extensions(conn: apsw.Connection) -> None:
    """Every stored number normalised again from the text as typed, under the rules of this release: an
    extension stays as `;ext=N` instead of being dropped or glued onto the digits, and numbers typed before
    `phone_region` was set take the store's region [value-normalisation]. No schema change: contact_phones
    always kept the typed text beside the value."""
    # imported here: every open imports this module, and only this old migration re-parses numbers
    from pcrm.domain import phones
    from pcrm.store import phones as phone_rows

    rows = phone_rows.all_rows(conn)
    if not rows:
        return  # a new store: nothing to parse (and phonenumbers is not even imported)
    region = settings.get(conn, "phone_region")
    phone_rows.apply(conn, phones.plan(rows, region, every_row=True))
    flush_dirty(conn)  # the search index holds the values too


def m009_audit_log(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m009_audit_log.sql"))


def m010_short_terms(conn: apsw.Connection) -> None:
    conn.execute(_sql("schema_m010_short_terms.sql"))


def m011_views(conn: apsw.Connection) -> None:
    """Read-only views for sqlite-utils, datasette and the sqlite3 shell [plain-sqlite]."""
    conn.execute(_sql("schema_m011_views.sql"))


def m016_search(conn: apsw.Connection) -> None:
    """Merge each FTS5 index into one segment [search-segments]."""
    conn.execute(_sql("schema_m016_search.sql"))


def m017_search_rank(conn: apsw.Connection) -> None:
    """A covering index of what a search's ranking reads [search-rank]."""
    conn.execute(_sql("schema_m017_search_rank.sql"))


def m018_overdue(conn: apsw.Connection) -> None:
    """The priority index covers the overdue count."""
    conn.execute(_sql("schema_m018_overdue.sql"))


def m019_search_accents(conn: apsw.Connection) -> None:
    """Contact search documents without Latin diacritics, as terms are compared [contact-search]."""
    refold_documents(conn)


def m020_search_nicknames(conn: apsw.Connection) -> None:
    """Search documents hold the names a contact is also known by [contact-search]."""
    conn.execute(_sql("schema_m020_search_nicknames.sql"))
    flush_dirty(conn)


def m022_tags_nfc(conn: apsw.Connection) -> None:
    """Tags stored before they were kept in Unicode's composed form (NFC) take it: `café` typed with a
    combining accent and with `é` were two tags; a contact holding both keeps one. The taxonomy's category
    names and tags are composed too [value-normalisation]."""
    from pcrm.domain.normalize import tag
    from pcrm.domain.taxonomy import composed
    from pcrm.store import ai, contact_bulk

    contact_bulk.fold_tags(conn, tag)
    ai.fold_taxonomy(conn, composed)


def _unfolded_tags(conn: apsw.Connection) -> bool:
    from pcrm.domain.normalize import tag
    from pcrm.store import contact_bulk

    return bool(contact_bulk.unfolded_tags(conn, tag))


def m023_push_conversations(conn: apsw.Connection) -> None:
    """The holders of a pushed conversation, found by index [import-matching]."""
    conn.execute(_sql("schema_m023_push_conversations.sql"))


def m021_search_words(conn: apsw.Connection) -> None:
    """Search documents hold the LinkedIn profile slug, and the words of names and organisations joined by
    punctuation also without it [search-words]."""
    conn.execute(_sql("schema_m021_search_words.sql"))
    rejoin_documents(conn)


def m024_search_joined(conn: apsw.Connection) -> None:
    """Search documents hold each name of several words also written as one [search-words]."""
    conn.execute(_sql("schema_m024_search_joined.sql"))
    rewrite_documents(conn)


def m026_search_tags(conn: apsw.Connection) -> None:
    """Search documents hold the contact's tags, in the tier of its company and title [contact-search]."""
    conn.execute(_sql("schema_m026_search_tags.sql"))
    tag_documents(conn)


def m030_search_fidelity(conn: apsw.Connection) -> None:
    """Search documents hold a company and each tag of several words also written as one, Latin letters of
    every block without their diacritics, and ASCII apostrophes and hyphens for the typographic ones
    [search-words] [contact-search]."""
    conn.execute(_sql("schema_m030_search_fidelity.sql"))
    fidelity_documents(conn)


def m031_search_spellings(conn: apsw.Connection) -> None:
    """Search documents without invisible format characters, and with each word holding ä, ö or ü in the
    names and organisation also written with ae, oe, ue [search-spellings]; the names' plain forms of a
    search's first tier without invisible characters too ([plain-names]: m032_name_plain, which ran first,
    folded them with the earlier search_fold). No schema change: the documents are written so by
    normalize.search_document, name_plain by normalize.search_fold."""
    fill_plain_names(conn)
    spelling_documents(conn)


def m025_edit_journal(conn: apsw.Connection) -> None:
    """What each edit by hand types goes to a table of its own instead of the journals of the imports and
    merges the contact was in; the contacts whose tags were set by hand before are marked [hand-edits]."""
    from pcrm.store import edit_journal

    conn.execute(_sql("schema_m025_edit_journal.sql"))
    edit_journal.note_untracked_tags(conn, clock.iso(settings.now(conn)))


def m027_search_walk(conn: apsw.Connection) -> None:
    """The score index covers the walk of a search's tiers [search-walk]."""
    conn.execute(_sql("schema_m027_search_walk.sql"))


def m032_name_plain(conn: apsw.Connection) -> None:
    """Contacts' names as search folds them, where that differs from name_fold, for a search's first tier;
    the covering indexes of the ranking and the walk cover it [plain-names]."""
    conn.execute("ALTER TABLE contacts ADD COLUMN name_plain TEXT")
    fill_plain_names(conn)  # before the indexes: only they are built over every row
    conn.execute(_sql("schema_m032_name_plain.sql"))


def m033_name_umlaut(conn: apsw.Connection) -> None:
    """Contacts' names with ä, ö, ü written ae, oe, ue, where they hold one, for a search's first tier
    [plain-names] [search-spellings]: "mueller" puts "Müller Anna" there as it does "Mueller Karl"."""
    conn.execute("ALTER TABLE contacts ADD COLUMN name_umlaut TEXT")
    fill_umlaut_names(conn)  # before the index: only it is built over every row
    conn.execute(_sql("schema_m033_name_umlaut.sql"))


def m034_job_status(conn: apsw.Connection) -> None:
    """How a background job's last run ended, a column of its own [scheduled-jobs]: an interrupted run (a
    daemon's stop ended it, no failure) was a `last_error` begun "interrupted: ", told from a failure by
    that text alone. Rows move over: such an error becomes the note of an interrupted outcome, any other
    error a failed one, and a success after the last start a success; a run with none stays open."""
    conn.execute(
        "ALTER TABLE job_runs ADD COLUMN last_outcome TEXT "
        "CHECK (last_outcome IN ('success', 'failed', 'interrupted'))"
    )
    conn.execute("ALTER TABLE job_runs ADD COLUMN last_note TEXT")
    conn.execute(
        "UPDATE job_runs SET last_outcome = 'interrupted', last_note = substr(last_error, 14), "
        "last_error = NULL WHERE substr(last_error, 1, 13) = 'interrupted: '"
    )
    conn.execute(
        "UPDATE job_runs SET last_outcome = 'failed' WHERE last_outcome IS NULL AND last_error IS NOT NULL"
    )
    conn.execute(
        "UPDATE job_runs SET last_outcome = 'success' WHERE last_outcome IS NULL "
        "AND last_success_at IS NOT NULL AND (last_started_at IS NULL OR last_started_at <= last_success_at)"
    )


def m035_deleted_contacts(conn: apsw.Connection) -> None:
    """The uuid of every contact deleted from now on, so a folder export knows its cards [vcard-folders]."""
    conn.execute(_sql("schema_m035_deleted_contacts.sql"))


def m036_bulk_updates(conn: apsw.Connection) -> None:
    """The journal of each bulk update, which `pcrm contacts bulk-undo` reads [bulk-undo]."""
    conn.execute(_sql("schema_m036_bulk_updates.sql"))


def m037_bulk_update_kinds(conn: apsw.Connection) -> None:
    """What made each journalled change (AI tagging and tag renames are undone like a bulk update) and the
    edit journal rows it wrote, which its undo puts back [bulk-undo]."""
    conn.execute(_sql("schema_m037_bulk_update_kinds.sql"))


def m042_message_accents(conn: apsw.Connection) -> None:
    """Message text searched without the accents of Latin letters, as the contacts' documents are
    [contact-search]: the messages' trigram index made again with remove_diacritics."""
    conn.execute(_sql("schema_m042_message_accents.sql"))


def m043_message_letters(conn: apsw.Connection) -> None:
    """Message text searched with its letters of their own (ß, ø, ł, đ, æ, œ, þ, ...) written as the
    contacts' documents write them [contact-search]: the messages' trigram index made again from a view that
    writes them so (normalize.MESSAGE_LETTERS)."""
    conn.execute(_sql("schema_m043_message_letters.sql"))


def m044_name_lookup(conn: apsw.Connection) -> None:
    """The names a contact reference in ASCII may fit only through identity_names' spelling of them (Greek,
    Cyrillic, IPA letters, combining marks), in a partial index: a reference that fits nobody no longer
    compares every name with a letter outside ASCII [contact-references]."""
    conn.execute(_sql("schema_m044_name_lookup.sql"))


def m048_search_scripts(conn: apsw.Connection) -> None:
    """Search documents with Greek and Cyrillic letters without their marks (but й and ї), and the words of
    the names and organisation in those scripts also in Latin letters, as a contact reference reads them
    ("ilias" finds Ηλίας, "smirnov" Смирнов); the names' plain forms of a search's first tier without those
    marks too [contact-search] [plain-names]. No schema change: the documents are written so by
    normalize.search_document, name_plain by normalize.search_fold."""
    fill_plain_names(conn)
    script_documents(conn)


def m046_org_leftovers(conn: apsw.Connection) -> None:
    """Which organizations pcrm made itself for a contact's company, so the delete of their last contact
    takes them out whoever was first [company-orgs]; those already stored, by what their rows and journals
    say."""
    conn.execute(_sql("schema_m046_org_leftovers.sql"))


MIGRATIONS: list[tuple[str, Callable[[apsw.Connection], None]]] = [
    ("m001_initial", m001_initial),
    ("m002_search", m002_search),
    ("m003_identity_indexes", m003_identity_indexes),
    ("m004_view_indexes", m004_view_indexes),
    ("m005_map_index", m005_map_index),
    ("m006_search_index", m006_search_index),
    ("m007_org_merges", m007_org_merges),
    ("m008_phone_extensions", m008_phone_extensions),
    ("m009_audit_log", m009_audit_log),
    ("m010_short_terms", m010_short_terms),
    ("m011_views", m011_views),
    ("m016_search", m016_search),
    ("m017_search_rank", m017_search_rank),
    ("m018_overdue", m018_overdue),
    ("m019_search_accents", m019_search_accents),
    ("m020_search_nicknames", m020_search_nicknames),
    ("m022_tags_nfc", m022_tags_nfc),
    ("m023_push_conversations", m023_push_conversations),
    ("m021_search_words", m021_search_words),  # named before m022 and m023 shipped: it runs after them
    ("m024_search_joined", m024_search_joined),
    ("m026_search_tags", m026_search_tags),
    ("m025_edit_journal", m025_edit_journal),  # named before m026 shipped: it runs after it
    ("m027_search_walk", m027_search_walk),
    ("m030_search_fidelity", m030_search_fidelity),
    ("m032_name_plain", m032_name_plain),
    ("m031_search_spellings", m031_search_spellings),  # named before m032 shipped: it runs after it
    ("m033_name_umlaut", m033_name_umlaut),
    ("m034_job_status", m034_job_status),
    ("m035_deleted_contacts", m035_deleted_contacts),
    ("m036_bulk_updates", m036_bulk_updates),
    ("m037_bulk_update_kinds", m037_bulk_update_kinds),
    ("m042_message_accents", m042_message_accents),
    ("m043_message_letters", m043_message_letters),
    ("m044_name_lookup", m044_name_lookup),
    ("m048_search_scripts", m048_search_scripts),
    ("m046_org_leftovers", m046_org_leftovers),  # named before m048 shipped: it runs after it
]

# Migrations that rewrite existing data get an automatic backup first [automatic-backups].
REWRITES_DATA: set[str] = {"m008_phone_extensions"}
# ... and those that rewrite data only some stores hold: a backup first when this store holds it
REWRITES_DATA_IN: dict[str, Callable[[apsw.Connection], bool]] = {"m022_tags_nfc": _unfolded_tags}


def _ensure_table(conn: apsw.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )


def applied(conn: apsw.Connection) -> list[str]:
    _ensure_table(conn)
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]


def status(conn: apsw.Connection) -> list[dict[str, object]]:
    """Every migration this pcrm has and whether the store has it; a newer pcrm's store is refused."""
    done = applied(conn)
    _refuse_newer(done)
    return [{"name": name, "applied": name in set(done)} for name, _ in MIGRATIONS]


def _refuse_newer(done: list[str]) -> None:
    """A database that records migrations this code does not know was written by a newer pcrm: refuse it
    rather than guess."""
    known = {name for name, _ in MIGRATIONS}
    unknown = [n for n in done if n not in known]
    if unknown:
        raise PcrmError(
            f"this database was written by a newer pcrm (unknown migrations: {', '.join(unknown)})",
            code="conflict",
            hint="upgrade pcrm (pip install -U pcrm), or go back to an older backup: `pcrm db backups` lists "
            "them, `pcrm db restore FILE` restores one",
        )


# What a migration of a store holding data says before it starts and after [migration-notice]
UPDATING = "Updating the store for this version of pcrm (one time, may take a minute on a big store)…"


def _holds_data(conn: apsw.Connection) -> bool:
    """The store has contacts or messages (tables every migration's store has): its update may take a
    while. One made empty by an older pcrm migrates in milliseconds and says nothing."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM contacts) OR EXISTS (SELECT 1 FROM interactions)"
    ).fetchone()
    return bool(row and row[0])


def _took(seconds: float) -> str:
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def migrate(
    conn: apsw.Connection, *, upto: str | None = None, notice: Callable[[str], None] | None = None
) -> list[str]:
    """Apply pending migrations in order, each in its own transaction. Returns the names applied.

    A database that records migrations this code does not know was written by a newer pcrm: refuse it
    rather than guess.

    notice: told, on a store that already holds data, a line before the first pending migration runs (an
    update of 1M messages takes seconds with nothing else to see) and one saying how long they took once
    they have [migration-notice]. A new store and one with nothing pending hear nothing.
    """
    done = applied(conn)
    _refuse_newer(done)
    ran: list[str] = []
    began: float | None = None
    if notice is not None and done and _pending(done, upto) and _holds_data(conn):
        notice(UPDATING)
        began = time.monotonic()
    for name, fn in MIGRATIONS:
        if name in done:
            if name == upto:
                break
            continue
        if done and (name in REWRITES_DATA or (name in REWRITES_DATA_IN and REWRITES_DATA_IN[name](conn))):
            auto_backup(conn, reason=f"before-{name}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("ROLLBACK")  # another process applied it while we waited
                continue
            fn(conn)
            conn.execute(
                "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)",
                (name, clock.iso(settings.now(conn))),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        ran.append(name)
        if name == upto:
            break
    if notice is not None and began is not None:
        notice(f"Store updated in {_took(time.monotonic() - began)}.")
    return ran


def _pending(done: list[str], upto: str | None) -> bool:
    """Whether migrate(upto=...) has anything to apply to a store holding `done`."""
    have = set(done)
    for name, _ in MIGRATIONS:
        if name not in have:
            return True
        if name == upto:
            return False
    return False
