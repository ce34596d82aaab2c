"""Pages through httpx: forms re-render with the user's input and the reason; nothing written."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_bad_form_is_rerendered_with_the_message_and_the_input_kept(client: TestClient) -> None:
    response = client.post(
        "/checkins/new", data={"mood": "12", "anxiety": "4", "note": "<script>x</script>"}
    )
    assert response.status_code == 422
    assert "must be a whole number from 0 to 10, got 12" in response.text
    assert 'name="anxiety" value="4" checked' in response.text  # the answers given stay chosen
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text
    assert "<script>x" not in response.text
    assert client.get("/api/v1/checkins").json() == []


def test_adding_a_product_and_logging_a_use_shows_it_in_history(client: TestClient) -> None:
    saved = client.post(
        "/products/new",
        data={"name": "Red Bali", "form": "leaf_powder", "mitragynine_mg_per_g": "15"},
    )
    assert saved.status_code == 200 and "Red Bali" in saved.text
    used = client.post("/uses/new", data={"product_id": "1", "amount": "3", "unit": "g"})
    assert "3 g Red Bali" in used.text
    assert "3 g leaf, 45 mg mitragynine" in used.text


def test_delete_asks_first_then_removes(client: TestClient) -> None:
    client.post("/checkins/new", data={"mood": "5"})
    confirm = client.get("/checkins/1/delete")
    assert "Delete this daily check-in?" in confirm.text
    client.post("/checkins/1/delete")
    assert client.get("/api/v1/checkins").json() == []


def test_edit_page_is_prefilled_in_the_users_zone(client: TestClient) -> None:
    client.post("/api/v1/checkins", json={"mood": 5, "recorded_at": "2026-07-01T08:00:00Z"})
    page = client.get("/checkins/1/edit").text
    assert 'value="2026-07-01T09:00"' in page


def test_unknown_pages_and_entries_are_404_pages(client: TestClient) -> None:
    assert client.get("/pets").status_code == 404
    missing = client.get("/uses/99/edit")
    assert missing.status_code == 404
    assert "no use event with id 99" in missing.text


def test_every_main_page_renders(client: TestClient) -> None:
    for path in (
        "/",
        "/history",
        "/products",
        "/medications",
        "/uses/new",
        "/checkins/new",
        "/effects/new",
        "/vitals/new",
        "/products/new",
        "/medications/new",
    ):
        assert client.get(path).status_code == 200, path


def test_after_a_delete_the_page_says_deleted_not_saved(client: TestClient) -> None:
    client.post("/checkins/new", data={"mood": "5"})
    page = client.post("/checkins/1/delete")
    assert "Deleted." in page.text
    assert "Saved." not in page.text


def test_home_page_lists_questionnaires_due_and_offers_onboarding(client: TestClient) -> None:
    page = client.get("/").text
    assert "Tell Mitra what you are managing" in page
    assert '<a href="/measures/phq9">PHQ-9</a>' in page
