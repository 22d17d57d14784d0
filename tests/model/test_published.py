"""The twin's records are the internal ones' published shape: no field is forgotten.

Each internal record names the fields the twin leaves out (`unpublished`); every other
field must be a field of its twin record, which `render.twin` fills by name."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

import citeguide.model as model

PUBLISHED_AS: dict[type[BaseModel], type[BaseModel]] = {
    model.GuideMeta: model.CiteTwin,
    model.Citation: model.TwinCitation,
    model.Claim: model.TwinClaim,
    model.Source: model.TwinSource,
    model.InputFact: model.TwinInputFact,
    model.Calculation: model.TwinCalculation,
    model.ChartLine: model.TwinChartLine,
    model.Chart: model.TwinChart,
    model.FxConversion: model.TwinFx,
    model.CalcInput: model.TwinInput,
    model.Driver: model.TwinDriver,
    model.ChartPoint: model.TwinChartPoint,
    model.Crossing: model.TwinCrossing,
    model.ChartBar: model.TwinBar,
}


@pytest.mark.parametrize("internal", list(PUBLISHED_AS), ids=lambda m: m.__name__)
def test_every_field_is_published_or_said_not_to_be(internal: type[BaseModel]) -> None:
    twin = PUBLISHED_AS[internal]
    left_out: frozenset[str] = internal.unpublished  # type: ignore[attr-defined]
    forgotten = set(internal.model_fields) - set(twin.model_fields) - left_out
    assert not forgotten, f"{internal.__name__} fields missing from {twin.__name__}: {forgotten}"
    assert left_out <= set(internal.model_fields), f"{internal.__name__}.unpublished is stale"


def test_every_record_saying_what_it_leaves_out_is_checked() -> None:
    declaring = {
        cls
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel) and "unpublished" in vars(cls)
    }
    assert declaring == set(PUBLISHED_AS)


def test_a_record_published_as_it_is_is_its_twin() -> None:
    """Where the shapes agree (the last six) the internal record extends its twin: one set
    of fields."""
    for internal in list(PUBLISHED_AS)[8:]:
        assert issubclass(internal, PUBLISHED_AS[internal])
