"""The content schemas in pydantic: every problem of a briefing.yaml or front matter, with its line.

:mod:`briefgen.schema_fast` accepts valid input without importing this module;
whatever it refuses is validated here, so that every problem is reported.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Problem
from .model import DEFAULT_LABELS
from .schema import keys_at
from .schema_fast import chart_shape_problem, not_blank_problem, section_ids_problem
from .yamlsrc import Located, field_name


# -- schemas ----------------------------------------------------------------------------
def _not_blank(value: str) -> str:
    problem = not_blank_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class SourceIn(_Closed):
    title: Text
    url: str | None = None


class BriefingIn(_Closed):
    title: Text
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    marking: str | None = None
    sections: Annotated[list[str], Field(min_length=1)]
    presets: dict[str, Annotated[list[str], Field(min_length=1)]] = {}
    vars: dict[str, Any] = {}
    sources: list[SourceIn] = []
    labels: dict[Literal[tuple(DEFAULT_LABELS)], str] = {}  # type: ignore[valid-type]

    @field_validator("sections")
    @classmethod
    def _ids(cls, ids: list[str]) -> list[str]:
        problem = section_ids_problem(ids)
        if problem:
            raise ValueError(problem)
        return ids


class FactIn(_Closed):
    value: Text
    label: Text


FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class SeriesIn(_Closed):
    name: str
    values: Annotated[list[FiniteFloat], Field(min_length=1)]


class ChartIn(_Closed):
    type: Literal["bar", "column", "pie", "line"]
    title: Text
    unit: str | None = None
    source: str | None = None
    categories: Annotated[list[str], Field(min_length=1)]
    series: Annotated[list[SeriesIn], Field(min_length=1)]

    @model_validator(mode="after")
    def _shape(self) -> ChartIn:
        problem = chart_shape_problem(self.type, self.categories, [(x.name, x.values) for x in self.series])
        if problem:
            raise ValueError(problem)
        return self


class SectionIn(_Closed):
    title: Text
    key_points: list[Text] = []
    facts: list[FactIn] = []
    chart: ChartIn | None = None
    notes: str | None = None
    sources: list[SourceIn] = []


# -- validation errors into problems --------------------------------------------------------
def validation_problems(exc: ValidationError, located: Located, schema: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error, with the line of the key it concerns."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        typ = err["type"]
        if typ == "missing":
            msg = f"required key '{loc[-1]}' is missing"
            loc_for_line = loc[:-1]
        elif typ == "extra_forbidden":
            key = loc[-1]
            msg = f"unknown key '{key}'"
            model_fields = keys_at(schema, loc)
            close = difflib.get_close_matches(str(key), model_fields, n=1) if model_fields else []
            if close:
                msg += f"; did you mean '{close[0]}'?"
            elif model_fields:
                msg += f" (known keys: {', '.join(sorted(model_fields))})"
            loc_for_line = loc
        elif typ in ("float_parsing", "float_type", "finite_number"):
            msg = (f"'{err.get('input')}' is not a plain number: write digits with an optional '.' and '-', "
                   "without thousands separators, currency or % signs")
            loc_for_line = loc
        elif typ == "literal_error":
            msg = f"'{err.get('input')}' is not allowed: {err['msg'].replace('Input should be ', 'use ')}"
            loc_for_line = loc
        elif typ.startswith("date"):
            msg = f"'{err.get('input')}' is not a valid date: write it as YYYY-MM-DD"
            loc_for_line = loc
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            loc_for_line = loc
        line, col = located.where(loc_for_line)
        out.append(Problem(msg, file=located.file, line=line, column=col, field=field_name(loc)))
    return out


SCHEMAS: dict[str, type[BaseModel]] = {"briefing": BriefingIn, "section": SectionIn}
