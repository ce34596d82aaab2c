"""CRUD routes for every registered kind of entry, with request schemas derived from its fields.

No `from __future__ import annotations` here: FastAPI must see each route's body class itself.
Handlers answer with our own JSON (`serialize.api_json`) instead of having FastAPI validate the
returned dataclasses against `response_model` again; `response_model` still documents the
responses in the OpenAPI schema.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from mitra.errors import InvalidInputError
from mitra.interfaces.serialize import api_json
from mitra.interfaces.web.api.v1 import schemas
from mitra.interfaces.web.deps import MitraDep
from mitra.services import entries
from mitra.services.registry import KINDS, Kind

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such entry"},
    409: {"description": "Conflicts with other entries"},
    413: {"description": "Body too large"},
    422: {"description": "Invalid input; each problem names its field"},
}
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Entries to skip.")]
IfMatch = Annotated[
    str | None,
    Header(
        max_length=40,
        description='The entry\'s ETag from GET (e.g. "3"): a change or delete of an entry '
        "edited since then is refused with 409 instead of overwriting it.",
    ),
]


def expected_version(if_match: str | None) -> int | None:
    """`If-Match: "3"` (or W/"3") -> 3; absent or `*` -> None (no check)."""
    if if_match is None or if_match.strip() == "*":
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 18:
        raise InvalidInputError.one("If-Match", 'must be an entry\'s ETag from GET, such as "3"')
    return int(text)


def etag(version: int) -> str:
    return f'"{version}"'


def json_response(
    value: Any, model: type[Any], status_code: int = 200, version: int | None = None
) -> Response:
    headers = None if version is None else {"ETag": etag(version)}
    return Response(api_json(value, model), status_code, headers, media_type="application/json")


def add_routes(router: APIRouter, target: Kind[Any]) -> None:
    """GET/POST /{kind}, GET/PUT/DELETE /{kind}/{id}. Plain `def` handlers: they wait on the
    database, so FastAPI runs them in its threadpool and they never hold up the event loop."""
    kind = target.name
    body = schemas.body_for(target)
    model = target.model

    def list_entries(mitra: MitraDep, limit: Limit = 100, offset: Offset = 0) -> Any:
        return json_response(entries.list_all(mitra, target, limit=limit, offset=offset), model)

    def create_entry(mitra: MitraDep, payload: body) -> Any:  # type: ignore[valid-type]
        values = payload.values()  # type: ignore[attr-defined]
        return json_response(entries.save(mitra, target, values).entry, model, 201)

    def get_entry(mitra: MitraDep, entry_id: int) -> Any:
        entry, version = entries.get_versioned(mitra, target, entry_id)
        return json_response(entry, model, version=version)

    def replace_entry(
        mitra: MitraDep,
        entry_id: int,
        payload: body,  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ) -> Any:
        version = expected_version(if_match)
        values = payload.values()  # type: ignore[attr-defined]
        saved = entries.save(mitra, target, values, entry_id, version).entry
        return json_response(saved, model, version=None if version is None else version + 1)

    def delete_entry(mitra: MitraDep, entry_id: int, if_match: IfMatch = None) -> Response:
        entries.delete(mitra, target, entry_id, expected_version(if_match))
        return Response(status_code=204)

    path = f"/{kind}"
    common: dict[str, Any] = {"tags": [target.title], "responses": ERRORS}
    router.add_api_route(
        path,
        list_entries,
        methods=["GET"],
        response_model=list[model],  # type: ignore[valid-type]
        name=f"list_{kind}",
        **common,
    )
    router.add_api_route(
        path,
        create_entry,
        methods=["POST"],
        response_model=model,
        status_code=201,
        name=f"create_{kind}",
        **common,
    )
    router.add_api_route(
        path + "/{entry_id}",
        get_entry,
        methods=["GET"],
        response_model=model,
        name=f"get_{kind}",
        **common,
    )
    router.add_api_route(
        path + "/{entry_id}",
        replace_entry,
        methods=["PUT"],
        response_model=model,
        name=f"replace_{kind}",
        **common,
    )
    router.add_api_route(
        path + "/{entry_id}",
        delete_entry,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        name=f"delete_{kind}",
        **common,
    )


def make_router() -> APIRouter:
    """Routes for every kind registered when the app is built."""
    router = APIRouter()
    for target in KINDS.values():
        add_routes(router, target)
    return router
