"""#15 item 7: ids are never reused, and a stale edit or delete (web form or API) is refused.

The attack: delete the newest entry, add another; it took the deleted one's id, so a retried
delete or a stale edit form silently hit the new entry."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_a_deleted_newest_entrys_id_is_never_given_to_the_next_one(client: TestClient) -> None:
    for mood in (1, 2, 3):
        client.post("/api/v1/checkins", json={"mood": mood})
    assert client.delete("/api/v1/checkins/3").status_code == 204
    created = client.post("/api/v1/checkins", json={"mood": 9}).json()
    assert created["id"] == 4
    retried = client.delete("/api/v1/checkins/3")
    assert retried.status_code == 404
    assert client.get("/api/v1/checkins/4").json()["mood"] == 9


def test_the_api_hands_out_an_etag_and_refuses_a_stale_if_match_with_409(
    client: TestClient,
) -> None:
    client.post("/api/v1/checkins", json={"mood": 5, "note": "first"})
    first = client.get("/api/v1/checkins/1")
    assert first.headers["etag"] == '"1"'
    edited = client.put(
        "/api/v1/checkins/1", json={"mood": 6, "note": "second"}, headers={"If-Match": '"1"'}
    )
    assert edited.status_code == 200
    assert edited.headers["etag"] == '"2"'
    stale = client.put(
        "/api/v1/checkins/1", json={"mood": 1, "note": "stale"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == (
        "this check-in was changed since it was opened (version 1, now 2), so nothing was "
        "saved; open it again to see the current version"
    )
    stale_delete = client.delete("/api/v1/checkins/1", headers={"If-Match": 'W/"1"'})
    assert stale_delete.status_code == 409
    assert client.get("/api/v1/checkins/1").json()["note"] == "second"
    assert client.put("/api/v1/checkins/1", json={"mood": 2}).status_code == 200  # no If-Match
    assert client.get("/api/v1/checkins/1").headers["etag"] == '"3"'
    assert client.delete("/api/v1/checkins/1", headers={"If-Match": '"3"'}).status_code == 204
    bad = client.delete("/api/v1/checkins/1", headers={"If-Match": "yesterday"})
    assert bad.status_code == 422


def test_a_stale_web_edit_form_is_refused_and_the_newer_edit_kept(client: TestClient) -> None:
    client.post("/api/v1/products", json={"name": "Red Bali", "form": "leaf_powder"})
    client.post("/api/v1/uses", json={"product_id": 1, "amount": 2, "unit": "g", "note": "a"})
    form = client.get("/uses/1/edit").text
    assert re.search(r'<input type="hidden" name="version" value="1">', form)
    fields = {"product_id": "1", "amount": "3", "unit": "g", "note": "tab one", "version": "1"}
    assert client.post("/uses/1/edit", data=fields, follow_redirects=False).status_code == 303
    stale = client.post("/uses/1/edit", data={**fields, "note": "tab two"})
    assert stale.status_code == 409
    assert "was changed since it was opened (version 1, now 2)" in stale.text
    assert client.get("/api/v1/uses/1").json()["note"] == "tab one"


def test_a_bad_form_keeps_its_version_when_it_is_shown_again(client: TestClient) -> None:
    client.post("/api/v1/checkins", json={"mood": 5})
    again = client.post("/checkins/1/edit", data={"mood": "12", "version": "1"})
    assert again.status_code == 422
    assert '<input type="hidden" name="version" value="1">' in again.text


def test_a_stale_web_delete_form_is_refused_and_the_entry_kept(client: TestClient) -> None:
    client.post("/api/v1/checkins", json={"mood": 5})
    page = client.get("/checkins/1/delete").text
    assert '<input type="hidden" name="version" value="1">' in page
    client.put("/api/v1/checkins/1", json={"mood": 8})
    refused = client.post("/checkins/1/delete", data={"version": "1"})
    assert refused.status_code == 409
    assert client.get("/api/v1/checkins/1").json()["mood"] == 8
    nonsense = client.post("/checkins/1/delete", data={"version": "one"})
    assert nonsense.status_code == 422
    done = client.post("/checkins/1/delete", data={"version": "2"}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/api/v1/checkins").json() == []
