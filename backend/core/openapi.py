"""What the OpenAPI says about answers that are not plain JSON models: the one error shape
(`errors.py` renders every 4xx the same way) and the .xlsx, photo and PDF downloads."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from backend.core.staff_api import served_routes
from backend.core.xlsx import XLSX

# `responses=XLSX_DOWNLOAD, response_class=Response` on a route that returns a workbook.
XLSX_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Excel 文件（.xlsx）",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}
# … and on a route that returns an uploaded photo.
IMAGE_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "照片（JPG 或 PNG）",
        "content": {
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


# … and on a route that returns a printable PDF.
PDF_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "可打印的 PDF",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


# … and on a route that returns an uploaded document: a photo, or a scanned report as PDF.
DOCUMENT_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "照片（JPG 或 PNG）或 PDF",
        "content": {
            **IMAGE_DOWNLOAD[200]["content"],
            **PDF_DOWNLOAD[200]["content"],
        },
    }
}


class FieldError(BaseModel):
    field: str = Field(description="出错的项在请求里的位置（给程序用）")
    message: str = Field(description="给人看的一句话")


class ErrorBody(BaseModel):
    """Every 4xx answer: a code for programs, a Chinese sentence for people, and for a 422 the
    problem with each field."""

    code: str
    message: str
    detail: list[FieldError] | dict[str, Any] | str | None = None


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }


def install_openapi(app: FastAPI) -> None:
    """Replace FastAPI's `HTTPValidationError` (not what this API sends) with `ErrorBody` on
    every operation: 422 for bad input, and 4XX for the rest (401 not logged in, 403, 404, 409,
    413, 415, 429 — each with the same shape)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=served_routes(app.routes),
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        for name, definition in (
            ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            .pop("$defs", {})
            .items()
        ):
            components[name] = definition
        components["ErrorBody"] = ErrorBody.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components["ErrorBody"].pop("$defs", None)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                responses["422"] = _error_response("填写的内容有误（每一项的问题在 detail 里）")
                responses["4XX"] = _error_response("请求没有办成：原因在 message 里")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
