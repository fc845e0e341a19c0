"""Telegram [telegram-sync]: a user account over MTProto through telethon.

- `client.py`: the only module importing telethon (lazily); login steps, dialogs, messages, group members,
  and the translation of telethon's errors (`FloodWait`, `LoginError`);
- `source.py`: the adapter behind the source contract (`sync/base.py`): DM dialogs, the last 50 messages of
  each changed one, calls, read receipts, then private groups' members as 2nd-tier contacts;
- `types.py`: the plain dicts the client hands out.
"""
