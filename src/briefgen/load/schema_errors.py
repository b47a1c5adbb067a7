"""The pydantic tier: models derived from the msgspec schemas, to report every problem.

:mod:`briefgen.schemas` writes each schema once, as msgspec structs. Input
those refuse is validated again by the pydantic models made here from the same
structs, field for field: msgspec ``Meta`` constraints become pydantic ``Field``
constraints, :class:`~briefgen.schemas.Check` markers become validators,
:class:`~briefgen.schemas.Finite` becomes ``allow_inf_nan=False`` and a struct's
``model_check`` a model validator. This module is imported only when input has
a problem to report.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Annotated, Any

import msgspec
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)

from .schema import Check, Finite

_CONSTRAINTS = ("gt", "ge", "lt", "le", "min_length", "max_length", "pattern")


@functools.cache
def pydantic_model(struct: type[msgspec.Struct]) -> type[BaseModel]:
    """A closed, frozen pydantic model that accepts what ``struct`` describes (and reports every problem)."""
    hints = typing.get_type_hints(struct, include_extras=True)
    fields: dict[str, Any] = {}
    for f in msgspec.structs.fields(struct):
        tp = _convert(hints[f.name])
        if f.default is not msgspec.NODEFAULT:
            fields[f.name] = (tp, f.default)
        elif f.default_factory is not msgspec.NODEFAULT:
            factory = f.default_factory
            made = pydantic_model(factory) if isinstance(factory, type) and issubclass(factory, msgspec.Struct) \
                else factory
            fields[f.name] = (tp, Field(default_factory=made))
        else:
            fields[f.name] = (tp, ...)
    validators = {}
    check = getattr(struct, "model_check", None)
    if check is not None:
        def whole(model):
            problem = check(model)
            if problem:
                raise ValueError(problem)
            return model

        validators["model_check"] = model_validator(mode="after")(whole)
    return create_model(struct.__name__, __config__=ConfigDict(extra="forbid", frozen=True),
                        __validators__=validators, **fields)


def _convert(tp: Any) -> Any:
    """A type as pydantic should check it: structs become models, markers become constraints."""
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return pydantic_model(tp)
    if origin is Annotated:
        inner, *marks = typing.get_args(tp)
        out = []
        for mark in marks:
            if isinstance(mark, msgspec.Meta):
                given = {k: getattr(mark, k) for k in _CONSTRAINTS if getattr(mark, k) is not None}
                out.append(Field(**given))
            elif isinstance(mark, Check):
                out.append(AfterValidator(_validator(mark)))
            elif mark is Finite:
                out.append(Field(allow_inf_nan=False))
        return Annotated[(_convert(inner), *out)] if out else _convert(inner)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_convert(a) for a in typing.get_args(tp))]
    if origin in (list, dict):
        return origin[tuple(_convert(a) for a in typing.get_args(tp))]
    return tp


def _validator(check: Check):
    def validate(value):
        problem = check.problem(value)
        if problem:
            raise ValueError(problem)
        return value
    return validate


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
