"""What WhatsApp writes into an exported chat that nobody wrote, end to end through `pcrm import` on a store
in tmp_path: deleted messages' placeholders, group notices in the languages phones export in, and the group
members only the notices name [chat-takeouts] [second-tier]."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def _people(store: Any) -> list[tuple[str, str]]:
    """(name or first phone, tags) of every contact, oldest first."""
    return store.q(
        "SELECT coalesce(c.full_name, (SELECT p.phone FROM contact_phones p WHERE p.contact_id = c.id "
        "LIMIT 1)), coalesce((SELECT group_concat(t.tag) FROM contact_tags t WHERE t.contact_id = c.id), '') "
        "FROM contacts c ORDER BY c.id"
    )


def _texts(store: Any) -> list[tuple[str, str | None]]:
    return store.q("SELECT direction, content_preview FROM interactions ORDER BY occurred_at, id")


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    f = tmp_path / name
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f


# ---------------------------------------------------------------- deleted messages

# (language, another's deleted message, the user's own), as Android writes them (iOS adds a full stop)
DELETED = [
    ("en", "This message was deleted", "You deleted this message"),
    ("de", "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht"),
    ("es", "Se eliminó este mensaje.", "Eliminaste este mensaje."),
    ("fr", "Ce message a été supprimé", "Vous avez supprimé ce message"),
    ("pt", "Esta mensagem foi apagada", "Você apagou esta mensagem"),
    ("ru", "Данное сообщение удалено", "Вы удалили данное сообщение"),
    ("it", "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio"),
]


@pytest.mark.parametrize(("lang", "theirs", "mine"), DELETED)
def test_deleted_messages_are_not_imported_as_messages_with_the_notice_as_text(
    lang, theirs, mine, imp, store, tmp_path
):
    # `pcrm import "WhatsApp Chat with Ann Lee.txt" --me Bob` stored "This message was deleted" (and the
    # other languages' wording) as a message Ann sent: a message nobody can read, whose text is WhatsApp's
    f = _write(
        tmp_path,
        "WhatsApp Chat with Ann Lee.txt",
        [
            "12/01/2024, 09:01 - Ann Lee: hi Bob",
            f"12/01/2024, 09:02 - Ann Lee: {theirs}",
            "12/01/2024, 09:03 - Bob: hello",
            f"12/01/2024, 09:04 - Bob: {mine}",
            "13/01/2024, 10:00 - Ann Lee: see you",
            "13/01/2024, 10:01 - Ann Lee: Bob added Carl",  # a person's words, though a notice reads so
            "13/01/2024, 10:02 - Ann Lee: I left",
        ],
    )
    rep = imp(f, "--me", "Bob")["data"]
    assert _texts(store) == [
        ("inbound", "hi Bob"),
        ("outbound", "hello"),
        ("inbound", "see you"),
        ("inbound", "Bob added Carl"),
        ("inbound", "I left"),
    ]
    assert rep["interactions_created"] == 5
    skipped = {x["reason"]: x for x in rep["interactions_not_imported"]}
    assert skipped["deleted"]["count"] == 2
    assert "deleted" in skipped["deleted"]["why"]
    again = imp(f, "--me", "Bob")["data"]  # a rerun adds nothing
    assert (again["interactions_created"], again["batch_id"]) == (0, None)


@pytest.mark.parametrize(
    ("name", "deleted", "count"),
    [
        ("whats_json__ios_en_media.txt", "This message was deleted", 2),
        ("whats_json__ios_de.txt", "Diese Nachricht wurde gelöscht", 2),
        ("whats_json__ios_ar.txt", "تم حذف هذه الرسالة", 2),
        ("whats_json__android_ru.txt", "Данное сообщение удалено", 8),
        ("whats_json__android_en_media.txt", "This message was deleted", 8),
    ],
)
def test_the_real_exports_import_no_deleted_placeholder(name, deleted, count, imp, corpus: Path, store):
    rep = imp(corpus / "whatsapp" / name)["data"]
    texts = [t for _, t in _texts(store)]
    assert texts and not any(t and deleted.casefold() in t.casefold() for t in texts)
    assert not any(t and ("deleted this message" in t or "gelöscht" in t or "удалили" in t) for t in texts)
    skipped = {x["reason"]: x["count"] for x in rep["interactions_not_imported"]}
    assert skipped["deleted"] == count  # reported, each of them


# ---------------------------------------------------------------- group notices in other languages

# (language, the group's notices as Android writes them): the user is "you" in them
NOTICES = {
    "de": [
        (
            "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie "
            "lesen oder anhören, nicht einmal WhatsApp."
        ),
        "Dmitry S hat die Gruppe „Reise: Berlin“ erstellt",
        "Dmitry S hat dich hinzugefügt",
        "Dmitry S hat Anna K hinzugefügt",
        "Dmitry S hat den Betreff von „Reise: Berlin“ zu „Reise: Rom“ geändert",
        "Eva M hat die Gruppe verlassen",
    ],
    "es": [
        (
            "Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat, ni "
            "siquiera WhatsApp, puede leerlos ni escucharlos."
        ),
        'Dmitry S creó el grupo "Viaje: Madrid"',
        "Dmitry S te añadió",
        "Dmitry S añadió a Anna K",
        'Dmitry S cambió el asunto de "Viaje: Madrid" a "Viaje: Roma"',
        "Eva M salió del grupo",
    ],
    "fr": [
        (
            "Les messages et les appels sont chiffrés de bout en bout. Aucun tiers, pas même WhatsApp, "
            "ne peut les lire ou les écouter."
        ),
        "Dmitry S a créé le groupe « Voyage : Paris »",
        "Dmitry S vous a ajouté",
        "Dmitry S a ajouté Anna K",
        "Dmitry S a modifié le sujet de « Voyage : Paris » en « Voyage : Rome »",
        "Eva M est parti(e)",
    ],
    "pt": [
        (
            "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta. Ninguém fora "
            "desta conversa, nem mesmo o WhatsApp, pode ler ou ouvi-las."
        ),
        'Dmitry S criou o grupo "Viagem: Lisboa"',
        "Dmitry S adicionou você",
        "Dmitry S adicionou Anna K",
        'Dmitry S mudou o assunto de "Viagem: Lisboa" para "Viagem: Roma"',
        "Eva M saiu",
    ],
    "ru": [
        (
            "Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата, даже WhatsApp, не может "
            "прочитать или прослушать их."
        ),
        "Dmitry S создал(а) группу «Поездка: Москва»",
        "Dmitry S добавил(а) вас",
        "Dmitry S добавил(а) Anna K",
        "Dmitry S изменил(а) тему с «Поездка: Москва» на «Поездка: Рим»",
        "Eva M вышел(-а)",
    ],
    "it": [
        (
            "I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, "
            "nemmeno WhatsApp, può leggerli o ascoltarli."
        ),
        'Dmitry S ha creato il gruppo "Viaggio: Milano"',
        "Dmitry S ti ha aggiunto",
        "Dmitry S ha aggiunto Anna K",
        'Dmitry S ha cambiato l\'oggetto da "Viaggio: Milano" a "Viaggio: Roma"',
        "Eva M è uscito/a",
    ],
}


@pytest.mark.parametrize("lang", sorted(NOTICES))
def test_a_group_in_another_language_is_a_group_and_its_notices_name_no_one(lang, imp, store, tmp_path):
    # `pcrm import group.txt` of a group exported by a German (Spanish, French, ...) phone took it for a
    # chat with one person: its notices were not known as a group's, a notice holding a colon ("Dmitry S hat
    # den Betreff von „Reise: Berlin“ ...") was a message from a person named 'Dmitry S hat den Betreff von
    # „Reise', and asked for --me offering those sentences as names, or imported the group's messages
    lines = [f"11/01/2023, 16:{10 + i:02d} - {text}" for i, text in enumerate(NOTICES[lang])]
    lines += ["11/01/2023, 17:00 - Dmitry S: Hello all", "11/01/2023, 17:01 - Dmitry S: Bye"]
    rep = imp(_write(tmp_path, "group.txt", lines))["data"]
    assert rep["interactions_created"] == 0
    assert _texts(store) == []
    # Anna K, whom Dmitry S added and who never wrote, is a member too; Eva M, who left, is not
    assert _people(store) == [("Dmitry S", "2nd tier"), ("Anna K", "2nd tier")]
    (why,) = [x["why"] for x in rep["interactions_not_imported"]]
    assert why == (
        "a group chat: its 2 members are imported as 2nd-tier contacts (1 named only in its notices), "
        "its messages are not"
    )
    again = imp(_write(tmp_path, "group.txt", lines))["data"]  # a rerun adds nothing
    assert (again["contacts_created"], again["batch_id"]) == (0, None)


@pytest.mark.parametrize("lang", sorted(NOTICES))
def test_a_group_in_another_language_where_you_wrote_needs_no_guessing(lang, imp, store, tmp_path):
    # two writers and German notices: before, a chat of two people neither of them `me`; with --me the
    # group's messages became a one-to-one chat with Dmitry S
    lines = [f"11/01/2023, 16:{10 + i:02d} - {text}" for i, text in enumerate(NOTICES[lang])]
    lines += ["11/01/2023, 17:00 - Dmitry S: Hello all", "11/01/2023, 17:01 - Bob: hi"]
    rep = imp(_write(tmp_path, "group.txt", lines), "--me", "Bob")["data"]
    assert rep["interactions_created"] == 0 and _texts(store) == []
    assert _people(store) == [("Dmitry S", "2nd tier"), ("Anna K", "2nd tier")]


def test_ios_group_notices_under_the_groups_name_are_no_person(imp, store, tmp_path):
    # an iOS export writes a group's notices under the group's name; without their direction marks
    # (a copy passed through another tool) "Reisegruppe" was a person who wrote "Ana hat die Gruppe ..."
    lines = [
        "[15/05/2018, 10:30:00] Reisegruppe: Ana hat die Gruppe „Reisegruppe“ erstellt",
        "[15/05/2018, 10:31:00] Reisegruppe: Ana hat dich hinzugefügt",
        "[15/05/2018, 10:32:00] Ana: guten Morgen zusammen",
        "[15/05/2018, 10:33:00] Bob: hallo",
    ]
    rep = imp(_write(tmp_path, "_chat.txt", lines), "--me", "Bob")["data"]
    assert rep["interactions_created"] == 0
    assert _people(store) == [("Ana", "2nd tier")]


@pytest.mark.parametrize(
    "said",
    [
        "Yes, I changed the settings on the router",
        "Ja, er hat den Betreff vergessen",
        "Mi hermano cambió la configuración del wifi",
        "Mom added you",
    ],
)
def test_a_person_whose_one_line_reads_like_a_group_notice_is_a_person(said, imp, store, tmp_path):
    # `pcrm import "WhatsApp Chat with Ann Lee.txt" --me Bob`, Ann's one line "Yes, I changed the settings
    # on the router": read as the notices of a group named Ann Lee, the chat was "a group chat: its 0
    # members ...", nothing imported, her message lost
    f = _write(
        tmp_path,
        "WhatsApp Chat with Ann Lee.txt",
        ["12/01/2024, 09:01 - Bob: is the wifi back?", f"12/01/2024, 09:02 - Ann Lee: {said}"],
    )
    rep = imp(f, "--me", "Bob")["data"]
    assert rep["interactions_created"] == 2
    assert _texts(store) == [("outbound", "is the wifi back?"), ("inbound", said)]
    # in a group: Carl, whose one line reads so, is a member, and no member is named "Yes, I"
    lines = [
        '[15/05/2018, 10:30:00] Team: Ana created group "Team"',
        "[15/05/2018, 10:31:00] Team: Ana added you",
        "[15/05/2018, 10:32:00] Ana: hi",
        "[15/05/2018, 10:33:00] Bob: hello",
        "[15/05/2018, 10:34:00] Carl Diaz: Yes, I changed the settings",
    ]
    imp(_write(tmp_path, "_chat.txt", lines), "--me", "Bob")
    assert _people(store)[1:] == [("Ana", "2nd tier"), ("Carl Diaz", "2nd tier")]


# ---------------------------------------------------------------- members only the notices name


def test_members_only_the_notices_name_are_imported_as_2nd_tier(imp, store, tmp_path):
    # `pcrm import group.txt` imported Dmitry S, who wrote, but not Anna K and Carl, whom he added and who
    # never wrote: people the user shares the group with
    lines = [
        '11/01/2023, 16:11 - Dmitry S created group "Trip"',
        "11/01/2023, 16:11 - Dmitry S added you",
        "11/01/2023, 16:12 - Dmitry S added Anna K and Carl",
        "11/01/2023, 16:13 - \u202a+44 7700 900123\u202c joined using this group's invite link",
        "11/01/2023, 16:14 - You added Eva M",
        "11/01/2023, 16:15 - Dmitry S removed Eva M",
        "11/01/2023, 16:16 - Zed left",
        "11/01/2023, 16:20 - Dmitry S: Hello all",
    ]
    rep = imp(_write(tmp_path, "group.txt", lines))["data"]
    assert _people(store) == [
        ("Dmitry S", "2nd tier"),
        ("Anna K", "2nd tier"),
        ("Carl", "2nd tier"),
        ("+44 7700 900123", "2nd tier"),
    ]
    assert rep["contacts_created"] == 4
    (why,) = [x["why"] for x in rep["interactions_not_imported"]]
    assert "its 4 members are imported as 2nd-tier contacts (3 named only in its notices)" in why
    # a file that never writes its user as "You" (made by hand or by another tool) may name the user in
    # its notices: their names are no members then
    lines = [
        '11/01/2023, 16:11 - Zoe P created group "Walks"',
        "11/01/2023, 16:12 - Zoe P added Bob Smith",
        "11/01/2023, 16:20 - Zoe P: Hello all",
        "11/01/2023, 16:21 - Bob Smith: hi",
    ]
    imp(_write(tmp_path, "walks.txt", lines), "--me", "Bob Smith")
    assert _people(store)[4:] == [("Zoe P", "2nd tier")]


# ---------------------------------------------------------------- media placeholders


def test_a_media_message_is_a_message_whose_text_is_not_the_placeholder(imp, store, tmp_path):
    # `pcrm import` stored "<Media omitted>", "IMG-....jpg (file attached)" as what Ann wrote; the
    # caption she wrote under a photo was kept only after the placeholder
    f = _write(
        tmp_path,
        "WhatsApp Chat with Ann Lee.txt",
        [
            "12/01/2024, 09:01 - Ann Lee: <Media omitted>",
            "12/01/2024, 09:02 - Ann Lee: IMG-20240112-WA0001.jpg (file attached)",
            "Look at this",
            "12/01/2024, 09:03 - Bob: PTT-20240112-WA0002.opus (file attached)",
            "12/01/2024, 09:04 - Ann Lee: the video omitted",  # her words, though they end so
        ],
    )
    imp(f, "--me", "Bob")
    rows = store.q("SELECT direction, content_preview, extra_data FROM interactions ORDER BY occurred_at")
    assert [(d, t, json.loads(x) if x else None) for d, t, x in rows] == [
        ("inbound", "[media]", {"media": "media"}),
        ("inbound", "Look at this", {"media": "photo", "file": "IMG-20240112-WA0001.jpg"}),
        (
            "outbound",
            "PTT-20240112-WA0002.opus",
            {"media": "voice_message", "file": "PTT-20240112-WA0002.opus"},
        ),
        ("inbound", "the video omitted", None),
    ]


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("whats_json__ios_de.txt", "weggelassen"),
        ("whats_json__ios_ar.txt", "لم يتم إدراج"),
        ("whats_json__ios_en_media.txt", "omitted"),
        ("whats_json__android_ru.txt", "<Без медиафайлов>"),
        ("whats_json__android_en_media.txt", "<Media omitted>"),
        ("kawsay__ios_chat.txt", "<attached:"),
    ],
)
def test_the_real_exports_media_messages_carry_their_kind_not_the_placeholder(
    name, placeholder, imp, corpus: Path, store
):
    args = ("--me", "Jane") if name.startswith("kawsay") else ()
    imp(corpus / "whatsapp" / name, *args)
    rows = store.q("SELECT content_preview, extra_data FROM interactions")
    assert not [t for t, _ in rows if t and placeholder in t]
    assert any(x and json.loads(x).get("media") for _, x in rows)


def test_a_person_s_words_that_read_like_a_placeholder_keep_their_text(imp, store, tmp_path):
    # `pcrm import "WhatsApp Chat with Ann Lee.txt"`: Ann's "видео отсутствует" (the video is missing) was
    # stored as "[video file]", and "I sent the contract (file attached)" as a file named "I sent the
    # contract": iOS writes its placeholder after a direction mark, Android names a file with its extension
    f = _write(
        tmp_path,
        "WhatsApp Chat with Ann Lee.txt",
        [
            "12/01/2024, 09:01 - Bob: hi",
            "12/01/2024, 09:02 - Ann Lee: видео отсутствует",
            "12/01/2024, 09:03 - Ann Lee: Photo absente",
            "12/01/2024, 09:04 - Ann Lee: I sent the contract (file attached)",
            "12/01/2024, 09:05 - Ann Lee: \u200evideo omitted",  # WhatsApp's
            "12/01/2024, 09:06 - Ann Lee: Report Q3.pdf (file attached)",
        ],
    )
    imp(f, "--me", "Bob")
    rows = store.q("SELECT content_preview, extra_data FROM interactions ORDER BY occurred_at")
    assert [(t, json.loads(x) if x else None) for t, x in rows] == [
        ("hi", None),
        ("видео отсутствует", None),
        ("Photo absente", None),
        ("I sent the contract (file attached)", None),
        ("[video file]", {"media": "video_file"}),
        ("Report Q3.pdf", {"media": "file", "file": "Report Q3.pdf"}),
    ]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("whats_json__ios_en_media.txt", "Location: https://maps.google.com/?q=51.5021456,-0.127397"),
        (
            "whats_json__ios_buddhist_calendar.txt",
            "Location: https://maps.google.com/?q=51.5021456,-0.127397",
        ),
        ("whats_json__ios_de.txt", "Standort: https://maps.google.com/?q=51.5021456,-0.127397"),
        ("whats_json__ios_ar.txt", "موقع: https://maps.google.com/?q=51.5021456,-0.127397"),
        (
            "whats_json__android_en_media.txt",
            "location: https://maps.google.com/?q=51.50214569326172,-0.12739796972656",
        ),
    ],
)
def test_a_shared_location_is_a_message_in_every_language(name, said, imp, corpus: Path, store):
    """iOS writes a shared place behind a direction mark, as it writes its own notices; a body with a link
    is the sender's (`pcrm import` kept none of them and counted nothing), Android's as before."""
    imp(corpus / "whatsapp" / name, "--me", "Dmitry S")
    assert ("outbound", said) in _texts(store)


def test_an_ios_body_behind_a_mark_with_a_link_is_kept_and_a_notice_is_not(imp, store, tmp_path):
    """The class, beyond the corpus: any marked body with a link (a live location, a page) is a message;
    WhatsApp's notices behind the same mark stay out."""
    chat = _write(
        tmp_path,
        "WhatsApp Chat - Bob Stone.txt",
        [
            "[1/2/24, 10:00:00] Bob Stone: \u200eMessages and calls are end-to-end encrypted.",
            "[1/2/24, 10:01:00] Bob Stone: \u200eUbicación: https://maps.google.com/?q=40.4,-3.7",
            "[1/2/24, 10:02:00] Bob Stone: \u200eLive location shared https://maps.app.goo.gl/xyz",
            "[1/2/24, 10:03:00] Ann Me: see you there",
        ],
    )
    imp(chat, "--me", "Ann Me")
    assert _texts(store) == [
        ("inbound", "Ubicación: https://maps.google.com/?q=40.4,-3.7"),
        ("inbound", "Live location shared https://maps.app.goo.gl/xyz"),
        ("outbound", "see you there"),
    ]
