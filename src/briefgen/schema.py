"""Helpers for the closed pydantic schemas of content and styles."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel


def keys_at(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """The keys the schema accepts where the error location ``loc`` points (for "did you mean ...?").

    List indexes and the keys of free-form mappings (``text: {h1: ...}``) are
    stepped over; an empty list means the place takes no fixed keys.
    """
    for part in loc[:-1]:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:  # a key of a mapping such as text.h1: the model stays the value's model
            continue
        model = model_in(info.annotation)
    return list(model.model_fields) if model is not None else []


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a field's type (``list[Series]``, ``dict[str, TextStyle]``, ``X | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None
