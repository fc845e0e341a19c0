"""One canonical JSON encoding for both shells [canonical-json]: keys sorted at every depth, no spaces,
so the same data is the same bytes from `--json`, the API and the JSON export, run after run."""

from __future__ import annotations

import json

from pcrm.serialize import dumps, envelope


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_keys_are_sorted_at_every_depth() -> None:
    data = {"zeta": 1, "alpha": {"b": [{"y": 1, "x": 2}], "a": None}, "mid": "é"}
    assert dumps(data) == b'{"alpha":{"a":null,"b":[{"x":2,"y":1}]},"mid":"\xc3\xa9","zeta":1}'
    assert dumps(envelope(data, {"total": 1, "page": 1})) == _canonical(
        {"data": data, "error": None, "meta": {"page": 1, "total": 1}}
    )


def test_the_cli_prints_canonical_json(cli) -> None:
    cli("contacts", "add", "--name", "Ada Lovelace", "--email", "ada@example.com", "--tag", "math")
    out = cli("contacts", "list", "--json").stdout.strip().encode()
    assert out == _canonical(json.loads(out))
