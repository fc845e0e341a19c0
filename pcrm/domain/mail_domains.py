"""Free-mail domains: a mailbox at one names a person, not an employer ([match-scoring], [company-orgs]).
A module of its own so that organizations can use the list without the identity matcher's imports."""

from __future__ import annotations

# Personal mailboxes: a shared one says nothing about a shared employer ([match-scoring], plus the generic
# list of [company-orgs]).
COMMON_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.co.jp",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "tutamail.com",
        "zoho.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "inbox.com",
        "mail.com",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
    ]
)
