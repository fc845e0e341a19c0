def test_add_show_and_list_round_trip(cli):
    created = cli.json("contacts", "add", "--name", "Ada Lovelace", "--email", "ADA@example.com")
    assert created["error"] is None
    assert created["data"]["emails"] == ["ada@example.com"]
    shown = cli.json("contacts", "show", "ada@example.com")
    assert shown["data"]["id"] == created["data"]["id"]
    listed = cli.json("contacts", "list", "--search", "lovel")
    assert [c["full_name"] for c in listed["data"]] == ["Ada Lovelace"]
    assert listed["meta"] == {
        "total": 1,
        "page": 1,
        "page_size": 20,
        "total_pages": 1,
        "total_is_estimate": False,
        "has_more": False,
    }
