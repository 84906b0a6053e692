"""Lists page and search."""

from __future__ import annotations

from tests.conftest import login
from tests.web.helpers import enrol_in_many, upload_sample


def test_users_are_paginated_and_searchable(app, client, make_user) -> None:
    admin = make_user("admin")
    for number in range(27):
        make_user("learner", name=f"Person {number:02d}")
    make_user("learner", name="Zelda Quartermaine")
    login(client, admin)
    first = client.get("/admin/users").get_data(as_text=True)
    assert "29 users." in first and "Page 1 of 2" in first
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Zelda Quartermaine" in second
    found = client.get("/admin/users?q=quarter").get_data(as_text=True)
    assert "1 user." in found and "Zelda Quartermaine" in found and "Person 01" not in found
    assert "Page" not in client.get("/admin/users?q=zzz-nobody").get_data(as_text=True).split("0 users.")[1]
    assert client.get("/admin/users?page=abc").status_code == 200


def test_sops_are_paginated_and_searchable(app, client, make_user) -> None:
    learner = make_user("learner")
    module_id = _any_module(app, client, make_user)
    enrol_in_many(app, learner.id, 52, module_id)  # 53 SOPs in all: the uploaded one and 52 copies
    login(client, make_user("trainer"))
    first = client.get("/sops").get_data(as_text=True)
    assert "Page 1 of 2" in first and first.count("<tr>") == 51  # the header row and 50 SOPs
    second = client.get("/sops?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count("<tr>") == 4
    found = client.get("/sops?q=procedure 17").get_data(as_text=True)
    assert found.count("<tr>") == 2 and "Copied procedure 17" in found


def _any_module(app, client, make_user) -> int:
    login(client, make_user("trainer"))
    module_id = upload_sample(client, app).id
    client.get("/logout")
    return module_id
