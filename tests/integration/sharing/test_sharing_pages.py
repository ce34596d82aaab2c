"""The settings page: export downloads, and erase behind an explicit confirmation form."""

from __future__ import annotations

import io
import json
import zipfile

from fastapi.testclient import TestClient
from tests.integration.sharing.seed import seed

from mitra.services import journal
from mitra.services.context import Mitra


def test_settings_links_every_export_and_the_erase_page(client: TestClient) -> None:
    page = client.get("/settings")
    for link in (
        "/export/mitra.json",
        "/export/mitra-csv.zip",
        "/export/fhir-bundle.json",
        "/settings/erase",
    ):
        assert f'href="{link}"' in page.text


def test_exports_download_from_the_web(mitra: Mitra, client: TestClient) -> None:
    seed(mitra, days=2)
    data = client.get("/export/mitra.json")
    assert data.json()["format"] == "mitra-journal-export"
    archive = zipfile.ZipFile(io.BytesIO(client.get("/export/mitra-csv.zip").content))
    assert "products.csv" in archive.namelist()
    bundle = client.get("/export/fhir-bundle.json")
    assert bundle.headers["content-type"] == "application/fhir+json"
    assert json.loads(bundle.content)["type"] == "collection"


def test_erase_needs_the_typed_phrase(mitra: Mitra, client: TestClient) -> None:
    seed(mitra, days=2)
    refused = client.post("/settings/erase", data={"confirm": "yes"})
    assert (
        refused.status_code == 422
        and "To confirm, type the words: delete everything" in refused.text
    )
    assert journal.list_products(mitra)
    done = client.post("/settings/erase", data={"confirm": "Delete everything"})
    assert done.status_code == 200 and "products: 4" in done.text
    assert journal.list_products(mitra) == []
