"""What WhatsApp writes into an exported chat that no person wrote: group notices, encryption notices and
the placeholders of deleted messages, in the languages of the phones that export most (English, German,
Spanish, French, Portuguese, Russian, Italian; Arabic for the one-to-one notices the fixtures show).

A group notice is read whole (`notice`): what happened (`kind`), who did it (`actor`, "" or a word for
"you" when the exporting user did) and to whom (`names`). The exporting user is always "You" in them, in
the phone's language ("Dmitry S added you", "Ana hat dich hinzugefügt", "Te añadieron"), so every other name
a notice holds is another person: someone the user shares, or shared, the group with [chat-takeouts].
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"

# the exporting user, as notices write them (subject and object forms)
YOU = frozenset(
    {
        "",
        "you",
        "du",
        "dich",
        "dir",
        "tú",
        "tu",
        "te",
        "ti",
        "vous",
        "você",
        "voce",
        "вы",
        "вас",
        "вам",
    }
)

_Q = "[\"'“”„«»‘’‚‹›]"
QUOTE = re.compile(_Q)
_A = r"(?P<a>[^:\n]{1,80}?)"  # the one acting: no colon, so "Ann: Bob added Carl" stays Ann's message
_N = r"(?P<n>[^:\n]{1,400}?)"  # the ones acted on: "Anna K", "Anna K, Bob and Carl"
_PART = r"(?:\(а\)|а|\(-а\))?"  # Russian gender endings: добавил(а), добавила
_GROUP_NAME = rf"\s?{_Q}.*{_Q}"

# (kind, forms); each form is matched against the whole notice (direction marks and a final full stop gone)
_FORMS: list[tuple[str, list[str]]] = [
    (
        "you_added",  # the exporting user was added: no actor named
        [
            r"You were added",
            r"Du wurdest hinzugefügt",
            r"(?:Te (?:añadieron|agregaron)|Se te (?:añadió|agregó))(?: al grupo)?",
            r"Vous avez été ajouté(?:\(e\)|e)?",
            r"Você foi adicionad[oa](?:\(a\))?",
            r"Вас добавили",
            r"Sei stat[oa] aggiunt[oa]",
        ],
    ),
    (
        "admin",  # the exporting user was made an admin
        [
            r"You're now an admin",
            r"Du bist jetzt (?:ein )?Admin",
            r"Ahora eres (?:un )?admin(?:istrador)?(?: del grupo)?",
            r"Vous êtes (?:désormais|maintenant) (?:un )?admin(?:istrateur)?(?: du groupe)?",
            r"Agora você é (?:um )?admin(?:istrador)?(?: do grupo)?",
            r"Теперь вы (?:администратор|админ)(?: группы)?",
            r"Ora sei (?:un )?amministratore(?: del gruppo)?",
        ],
    ),
    (
        "added_you",  # someone added the exporting user
        [
            rf"{_A} added you",
            rf"{_A} hat dich hinzugefügt",
            rf"{_A} te (?:añadió|agregó)",
            rf"{_A} (?:vous|t'|t’) ?a ajouté(?:\(e\)|e)?",
            rf"{_A} adicionou você",
            rf"{_A} добавил{_PART} вас",
            rf"{_A} ti ha aggiunt[oa]",
        ],
    ),
    (
        "created",
        [
            rf"{_A} created group{_GROUP_NAME}",
            rf"{_A} hat die Gruppe{_GROUP_NAME} erstellt",
            rf"{_A} (?:creó|creaste) el grupo{_GROUP_NAME}",
            rf"{_A} (?:a|avez) créé (?:le )?groupe{_GROUP_NAME}",
            rf"{_A} criou o grupo{_GROUP_NAME}",
            rf"{_A} создал{_PART} группу{_GROUP_NAME}",
            rf"{_A} ha creato il gruppo{_GROUP_NAME}",
            rf"(?P<a>Du) hast die Gruppe{_GROUP_NAME} erstellt",
            rf"(?P<a>)Creaste el grupo{_GROUP_NAME}",
            rf"(?P<a>Вы) создали группу{_GROUP_NAME}",
            rf"(?P<a>)Hai creato il gruppo{_GROUP_NAME}",
        ],
    ),
    (
        "added",
        [
            rf"{_A} added {_N}",
            rf"{_A} hat {_N} hinzugefügt",
            rf"(?P<a>Du) hast {_N} hinzugefügt",
            rf"{_A} (?:añadió|agregó) a {_N}",
            rf"(?P<a>)(?:Añadiste|Agregaste) a {_N}",
            rf"{_A} (?:a|avez) ajouté {_N}",
            rf"{_A} adicionou {_N}",
            rf"{_A} добавил{_PART} {_N}",
            rf"(?P<a>Вы) добавили {_N}",
            rf"{_A} ha aggiunto {_N}",
            rf"(?P<a>)Hai aggiunto {_N}",
        ],
    ),
    (
        "removed",
        [
            rf"{_A} removed {_N}",
            rf"{_A} hat {_N} entfernt",
            rf"(?P<a>Du) hast {_N} entfernt",
            rf"{_A} (?:eliminó|quitó|sacó) a {_N}",
            rf"(?P<a>)(?:Eliminaste|Quitaste|Sacaste) a {_N}",
            rf"{_A} (?:a|avez) retiré {_N}",
            rf"{_A} removeu {_N}",
            rf"{_A} удалил{_PART} {_N}",
            rf"(?P<a>Вы) удалили {_N}",
            rf"{_A} ha rimosso {_N}",
            rf"(?P<a>)Hai rimosso {_N}",
        ],
    ),
    (
        "left",
        [
            rf"{_N} left",
            rf"{_N} hat die Gruppe verlassen",
            rf"{_N} (?:salió|saliste)(?: del grupo)?",
            rf"{_N} (?:est parti(?:\(e\)|e)?|a quitté(?: le groupe| ce groupe)?|êtes parti(?:\(e\)|e)?)",
            rf"{_N} saiu(?: do grupo)?",
            rf"{_N} (?:вышел|вышла|вышел\(-?а\)|покинул{_PART} группу)(?: из группы)?",
            rf"{_N} (?:è uscit[oa](?:/a|\(a\))?|ha abbandonato(?: il gruppo)?)",
            r"(?P<n>Du) hast die Gruppe verlassen",
            r"(?P<n>)Saliste(?: del grupo)?",
            r"(?P<n>Вы) вышли(?: из группы)?",
            r"(?P<n>)(?:Sei uscit[oa]|Hai abbandonato(?: il gruppo)?)",
        ],
    ),
    (
        "joined",
        [
            rf"{_N} joined using (?:this group's|an?) invite link",
            rf"{_N} (?:ist|bist) über (?:den|einen) Einladungslink(?: dieser Gruppe)? beigetreten",
            rf"{_N} se unió (?:usando|mediante|con|a través del) (?:el )?enlace de invitación.*",
            (
                rf"{_N} a rejoint (?:ce|le) groupe (?:via|avec|en utilisant|grâce au) (?:le )?"
                r"lien d['’]invitation.*"
            ),
            rf"{_N} entrou (?:usando|com|pelo|por meio do) (?:o )?link de convite.*",
            rf"{_N} присоединил(?:ся|ась|ся\(-?ась\))(?: к группе)? (?:по|через) ссылк.*",
            rf"{_N} si è unit[oa](?:/a|\(a\))? (?:tramite|con|usando) (?:il )?link.*",
        ],
    ),
    (
        "changed",  # a group's subject, icon, description or settings
        [
            rf"{_A} changed (?:the subject|the group|this group's|the settings).*",
            (
                rf"{_A} (?:hat|hast) (?:den Betreff|den Gruppennamen|das Gruppenbild|die Gruppenbeschreibung|"
                r"die Gruppeneinstellungen|die Einstellungen dieser Gruppe).*"
            ),
            (
                rf"{_A} (?:cambió|cambiaste) (?:el asunto|el nombre del grupo|el ícono|el icono|la imagen|"
                r"la descripción|los ajustes|la configuración).*"
            ),
            (
                rf"{_A} (?:a|avez) (?:modifié|changé) (?:le sujet|le nom du groupe|l['’]icône|l['’]image|"
                r"la description|les paramètres).*"
            ),
            (
                rf"{_A} (?:mudou|alterou) (?:o assunto|o nome do grupo|a imagem|o ícone|a descrição|"
                r"as configurações).*"
            ),
            (
                rf"{_A} изменил(?:{_PART}|и) (?:тему|название группы|изображение группы|описание группы|"
                r"настройки группы).*"
            ),
            (
                rf"{_A} ha (?:cambiato|modificato) (?:l['’]oggetto|il nome del gruppo|l['’]immagine|"
                r"l['’]icona|la descrizione|le impostazioni).*"
            ),
        ],
    ),
]
_COMPILED = [(kind, [re.compile(form, re.IGNORECASE) for form in forms]) for kind, forms in _FORMS]
# every form at once, without its groups: one test per line tells most messages from notices fast
_ANY = re.compile(
    "|".join(f"(?:{re.sub(r'[(][?]P<[an]>', '(?:', form)})" for _kind, forms in _FORMS for form in forms),
    re.IGNORECASE,
)
# kinds that only a group shows, and so that only WhatsApp writes: a person's message never reads so
STRONG = frozenset({"you_added", "admin", "added_you", "created", "joined", "changed"})

# the notice every chat starts with, in the languages above (and Arabic); a line whose whole body starts so
ENCRYPTED = re.compile(
    r"^(?:Messages and calls are end-to-end encrypted\.|Messages you send to this group are now secured|"
    r"Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt\.|"
    r"Los mensajes y las llamadas están cifrados de extremo a extremo\.|"
    r"Les messages et les appels sont chiffrés de bout en bout\.|"
    r"As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta\.|"
    r"I messaggi e le chiamate sono crittografati end-to-end\.|"
    r"Сообщения и звонки защищены сквозным шифрованием\.|الرسائل والمكالمات مشفرة تمامًا)"
)

# What stands for a message its sender deleted, as the exporting user sees it: their own ("You deleted this
# message") and another's ("This message was deleted"), both platforms, with or without the full stop.
YOU_DELETED = re.compile(
    r"^(?:You deleted this message|Du hast diese Nachricht gelöscht|Eliminaste este mensaje|"
    r"Vous avez supprimé ce message|Você apagou esta mensagem|Apagou esta mensagem|"
    r"Вы удалили (?:данное|это) сообщение|Hai eliminato questo messaggio|لقد حذ\u064e?فت هذه الرسالة)\.?$",
    re.IGNORECASE,
)
DELETED = re.compile(
    r"^(?:This message was deleted|Diese Nachricht wurde gelöscht|Se eliminó este mensaje|"
    r"Este mensaje fue eliminado|Ce message a été supprimé|(?:Esta|Essa) mensagem foi (?:apagada|eliminada)|"
    r"Mensagem apagada|(?:Данное|Это) сообщение удалено|Questo messaggio è stato eliminato|"
    r"تم حذف هذه الرسالة)\.?$",
    re.IGNORECASE,
)


# What WhatsApp writes at the end of a message its sender edited (Android; iOS after a direction mark), in
# the languages where several exports seen agree on its words (English, German, Spanish, French, Portuguese,
# Italian; not Russian); a message is never left out for it [chat-takeouts]
_EDITED_WORDS = (
    r"<(?:This message was edited|Diese Nachricht wurde bearbeitet|Se editó este mensaje|"
    r"Ce message a été modifié|Mensagem editada|Questo messaggio è stato modificato)\.?>"
)
_EDITED = re.compile(r"\s*[" + _MARKS + r"]*" + _EDITED_WORDS + r"[" + _MARKS + r"\s]*$")


def edited(text: str) -> tuple[str, bool]:
    """(the text without WhatsApp's closing edited marker, whether it had one)."""
    if not text.rstrip(_MARKS + " \n").endswith(">"):
        return text, False
    m = _EDITED.search(text)
    return (text[: m.start()], True) if m else (text, False)


@dataclass(frozen=True)
class Notice:
    kind: str  # one of _FORMS' kinds
    actor: str | None  # who did it ("" or a YOU word: the exporting user); None when no one is named
    names: tuple[str, ...]  # the ones it was done to, or who joined or left

    @property
    def about_you(self) -> bool:
        """The notice writes the exporting user as "You" (as actor, object, or by its kind)."""
        if self.kind in ("you_added", "admin", "added_you"):
            return True
        return (self.actor is not None and is_you(self.actor)) or any(is_you(n) for n in self.names)


def clean(text: str) -> str:
    return text.strip(_MARKS + " ").rstrip(".").strip(_MARKS + " ")


def is_you(name: str) -> bool:
    return clean(name).casefold() in YOU


def notice(text: str) -> Notice | None:
    """The group notice `text` is, whole, or None."""
    body = re.sub("[" + _MARKS + "]", "", text).strip().rstrip(".").strip()
    if not body or "\n" in body or not _ANY.fullmatch(body):
        return None
    for kind, forms in _COMPILED:
        for form in forms:
            m = form.fullmatch(body)
            if m is None:
                continue
            groups = m.groupdict()
            actor = groups.get("a")
            names = _split(groups["n"]) if groups.get("n") is not None else ()
            if kind == "left" and not names:
                names = ("",)  # "Saliste": you left
            return Notice(kind, actor.strip() if actor is not None else None, names)
    return None


def _split(names: str) -> tuple[str, ...]:
    """ "Anna K, Bob and Carl" (any of the languages' "and") as its names."""
    parts = re.split(r",\s*|\s+(?:and|und|y|e|et|и)\s+", names.strip())
    return tuple(p.strip(_MARKS + " ") for p in parts if p.strip(_MARKS + " ")) or ("",)


# ---------------------------------------------------------------- media placeholders
# A message that carried a file is a message; what WhatsApp writes in its place is no text of it. It is read
# as the file's kind (Telegram's words: `[photo]`, `[voice message]`) and, when the export names it, the file;
# what the sender wrote with it (the lines below, or a document's name before iOS's placeholder) is its text.

_KINDS = [  # a word of the placeholder (any language above, Arabic), and the kind
    (r"image|imagen|imagem|immagine|bild|foto|photo|изображение|фото|الصورة", "photo"),
    (r"gif", "animation"),
    (r"sticker|figurinha|стикер|الملصقات", "sticker"),
    (r"vid[eé]o|v[ií]deo|видео|الفيديوهات|الفيديو", "video_file"),
    (r"audio|áudio|аудио|المقاطع الصوتية", "audio_file"),
    (r"contact|kontakt|contato|contatto|контакт|جهة اتصال", "contact"),
    (r"document|dokument|documento|документ|المستند", "file"),
]
# iOS: "image omitted", "Bild weggelassen", "imagen omitida", "image absente", "imagem ocultada",
# "immagine omessa", "изображение отсутствует", "لم يتم إدراج الصورة": the whole line, or after a document's
# name and a direction mark ("Template.docx \u200edocument omitted"); "the video omitted" is a person's
_WHAT = (
    r"(?:contact card|kontaktkarte|tarjeta de contacto|cart[aã]o de contato|scheda contatto|fiche contact|"
    r"карточка контакта|image|imagen|imagem|immagine|bild|photo|foto|изображение|фото|gif|sticker|figurinha|"
    r"стикер|vid[eé]o|v[ií]deo|видео|audio|áudio|аудио|аудиофайл|document|dokument|documento|документ)"
)
_OMITTED = re.compile(
    r"^(?:(?P<before>[^\n]*?) ?[" + _MARKS + r"]+)?(?P<what>" + _WHAT + r") "
    r"(?:omitted|weggelassen|ausgelassen|omitid[oa]|absente?|omise?|ocultad[oa]|omess[oa]|отсутствует)$"
    r"|^(?:(?P<ar_before>[^\n]*?) ?[" + _MARKS + r"]+)?(?:لم يتم إدراج|تم حذف) (?P<ar_what>"
    r"الصورة|صورة GIF|الملصقات|الفيديوهات|الفيديو|المقاطع الصوتية|بطاقة جهة اتصال|المستند)$",
    re.IGNORECASE,
)
# how an iOS placeholder ends: a cheap test before the pattern
_OMITTED_ENDS = (
    "omitted",
    "weggelassen",
    "ausgelassen",
    "omitido",
    "omitida",
    "absent",
    "absente",
    "omis",
    "omise",
    "ocultado",
    "ocultada",
    "omesso",
    "omessa",
    "отсутствует",
    "الصورة",
    "gif",
    "الملصقات",
    "الفيديوهات",
    "الفيديو",
    "المقاطع الصوتية",
    "بطاقة جهة اتصال",
    "المستند",
)
# Android: "<Media omitted>" and its translations: no kind told
_ANDROID_OMITTED = re.compile(
    r"^<(?:Media omitted|Medien ausgelassen|Multimedia omitido|Archivo omitido|Médias omis|Mídia oculta|"
    r"Media omessi|Без медиафайлов)>$",
    re.IGNORECASE,
)
# a file sent with the chat: iOS "<attached: 00000055-PHOTO-2022-03-27.jpg>" (cut short: no ">"), Android
# "IMG-20220323-WA0002.jpg (file attached)" and its translations
_ATTACHED = re.compile(r"^<attached: (?P<file>[^>\n]+)>?$")
_FILE_ATTACHED = re.compile(
    r"^(?P<file>[^\n]+?\.[^\s.()]{1,8}) \((?:file attached|Datei angehängt|archivo adjunto|fichier joint|"
    r"arquivo anexado|file allegato|файл добавлен)\)$",
    re.IGNORECASE,
)
_BY_NAME = [  # a file's kind by its name
    (r"-PHOTO-|^IMG[-_]|\.(?:jpe?g|png|heic|heif)$", "photo"),
    (r"-GIF-|\.gif$", "animation"),
    (r"-STICKER-|^STK-|\.webp$", "sticker"),
    (r"^PTT-|\.opus$", "voice_message"),
    (r"-VIDEO-|^VID[-_]|\.(?:mp4|mov|3gp)$", "video_file"),
    (r"-AUDIO-|^AUD-|\.(?:m4a|mp3|aac|ogg|wav)$", "audio_file"),
    (r"\.vcf$", "contact"),
]


def media(text: str, *, marked: bool) -> tuple[str, dict[str, str]] | None:
    """(the message's text, `extra_data`) when `text` is a media message's, else None: the text is what
    the sender wrote with the file, else its name, else its kind in brackets (`[photo]`). `marked`: the
    body began with a direction mark, as iOS writes a whole-line placeholder ("\u200eimage omitted");
    without one, such a line is a person's words ("видео отсутствует": the video is missing)."""
    first, _, rest = text.partition("\n")
    first = first.strip(_MARKS + " ")
    caption = rest.strip()
    extra: dict[str, str]
    if m := _ATTACHED.match(first) or (first.endswith(")") and _FILE_ATTACHED.match(first)):
        name = m.group("file").strip(_MARKS + " ")
        extra = {"media": _kind_of_file(name), "file": name}
        return caption or name, extra
    if _ANDROID_OMITTED.match(first):
        return caption or "[media]", {"media": "media"}
    if first.casefold().endswith(_OMITTED_ENDS) and (m := _OMITTED.match(first)):
        if not marked and not (m.group("before") or m.group("ar_before")):
            return None
        what = m.group("what") or m.group("ar_what") or ""
        kind = next((k for words, k in _KINDS if re.search(words, what, re.IGNORECASE)), None)
        if kind is None:
            return None
        before = (m.group("before") or m.group("ar_before") or "").strip(_MARKS + " •")
        before = re.sub("[" + _MARKS + "]", "", before).strip()
        extra = {"media": kind}
        if before:
            extra["file"] = before
        return caption or before or f"[{kind.replace('_', ' ')}]", extra
    return None


def _kind_of_file(name: str) -> str:
    return next((k for pattern, k in _BY_NAME if re.search(pattern, name, re.IGNORECASE)), "file")
