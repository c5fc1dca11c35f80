"""The public page "How the reading works": what each dimension means (from the registry)
and how well the analyzer reads it, in plain words, from the figures measured on the fresh
writers (reflect/framing/quality.json, written by tests/framing_eval.py --write and checked
against the analyzer by tests/test_framing_quality.py: never typed by hand)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reflect.framing.dimensions import REGISTRY, Dimension
from reflect.framing.quality import measured


@dataclass(frozen=True)
class Reading:
    dimension: Dimension
    verdict: str  # in plain words
    rho: float
    agreement: float
    within_1: int  # percent
    abstained: int
    labelled: int


def verdict(rho: float, agreement: float) -> str:
    """How far to trust a dimension, in words, from its fresh rho and the labellers' own."""
    if rho >= agreement - 0.05:
        return "agrees with a careful reader about as often as two careful readers agree"
    if rho >= 0.6:
        return "agrees with careful readers most of the time"
    if rho >= 0.4:
        return "agrees with careful readers more often than not, but misses a good part of it"
    if rho >= 0.2:
        return "agrees with careful readers only loosely: take it as a rough hint"
    return "does not yet agree with careful readers: do not rely on it"


def readings(figures: dict) -> list[Reading]:
    rows = []
    for key, dimension in REGISTRY.items():
        row = figures["dimensions"][key]
        rows.append(
            Reading(
                dimension=dimension,
                verdict=verdict(row["rho"], row["agreement"]),
                rho=row["rho"],
                agreement=row["agreement"],
                within_1=round(row["within_1"] * 100),
                abstained=row["abstained_labelled"],
                labelled=row["labelled"],
            )
        )
    return rows


@login_not_required
def how_reading_works(request: HttpRequest) -> HttpResponse:
    """Public, the same for everyone: nobody's entries, only the measured figures."""
    figures = measured()
    return render(
        request,
        "framing/how.html",
        {
            "readings": readings(figures),
            "passages": figures["passages"],
            "pairs": figures["pairs"],
            "trained_passages": figures["trained_passages"],
            "highlights": figures["highlights"],
            "highlights_agreed": round(figures["highlights"]["agreed"] * 100),
            **_second_reader(figures["highlights"]),
        },
    )


def _second_reader(highlights: dict) -> dict:
    """A second blind reader's share of the same marks, and how often the two readers agreed
    with each other, in percent (nothing when only one reader judged them)."""
    second = highlights.get("second_reader")
    if not second:
        return {}
    return {
        "second_reader_agreed": round(second["agreed"] * 100),
        "readers_agree": round(second["readers_agree"] * 100),
    }
