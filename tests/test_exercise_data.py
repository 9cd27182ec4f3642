"""Shape and coverage checks for the built-in exercise library (hep/data/exercises.json)."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import Any

import pytest

REGIONS = {"neck", "upper_back", "shoulders", "chest", "low_back", "hips_glutes", "legs", "feet"}
CATEGORIES = {
    "self_release",
    "stretch",
    "mobility",
    "strengthening",
    "posture",
    "breathing_relaxation",
}
EQUIPMENT = {
    "massage_ball",
    "foam_roller",
    "resistance_band",
    "wall",
    "chair",
    "towel",
    "doorway",
    "mat",
    "dumbbell",
    "step",
}
SIDES = {"both", "each", "left", "right"}
EXERCISE_KEYS = {
    "slug",
    "name",
    "summary",
    "regions",
    "category",
    "equipment",
    "dose",
    "instructions",
    "cautions",
    "media_url",
}
DOSE_KEYS = {
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "rest_seconds",
    "side",
    "times_per_day",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_EXERCISES = 44
MIN_PER_REGION = 3
MIN_PER_CATEGORY = 4
MAX_NAME = 60
MAX_SUMMARY = 160
MAX_STEP = 200
MAX_CAUTION = 200
MAX_SHORT_HOLD = 10  # a hold this short may accompany reps ("10 reps x 5 s hold")


@cache
def load_library() -> dict[str, Any]:
    resource = files("hep") / "data" / "exercises.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def exercises() -> list[dict[str, Any]]:
    return load_library()["exercises"]


def by_slug() -> list[Any]:
    return [pytest.param(e, id=e.get("slug", "?")) for e in exercises()]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value: Any) -> bool:
    return isinstance(value, str) and value == value.strip() and value != ""


def test_library_is_a_versioned_object_with_an_exercise_list() -> None:
    library = load_library()
    assert set(library) == {"version", "exercises"}
    assert library["version"] == 1
    assert isinstance(library["exercises"], list)


def test_library_has_at_least_44_exercises() -> None:
    assert len(exercises()) >= MIN_EXERCISES


def test_slugs_are_unique_kebab_case() -> None:
    slugs = [e["slug"] for e in exercises()]
    assert all(isinstance(s, str) and SLUG_RE.fullmatch(s) for s in slugs), slugs
    duplicates = [s for s, n in Counter(slugs).items() if n > 1]
    assert duplicates == []


def test_names_are_unique_ignoring_case() -> None:
    names = [e["name"].casefold() for e in exercises()]
    duplicates = [n for n, count in Counter(names).items() if count > 1]
    assert duplicates == []


@pytest.mark.parametrize("exercise", by_slug())
def test_exercise_has_exactly_the_expected_keys(exercise: dict[str, Any]) -> None:
    assert set(exercise) == EXERCISE_KEYS
    assert set(exercise["dose"]) == DOSE_KEYS


@pytest.mark.parametrize("exercise", by_slug())
def test_name_and_summary_are_short_single_lines(exercise: dict[str, Any]) -> None:
    name, summary = exercise["name"], exercise["summary"]
    assert is_text(name) and len(name) <= MAX_NAME
    assert is_text(summary) and len(summary) <= MAX_SUMMARY
    assert "\n" not in name and "\n" not in summary
    # One sentence: ends with a full stop and has no sentence break inside.
    assert summary.endswith(".")
    assert ". " not in summary[:-1]


@pytest.mark.parametrize("exercise", by_slug())
def test_regions_are_a_nonempty_list_of_known_regions(exercise: dict[str, Any]) -> None:
    regions = exercise["regions"]
    assert isinstance(regions, list) and regions
    assert set(regions) <= REGIONS
    assert len(regions) == len(set(regions))


@pytest.mark.parametrize("exercise", by_slug())
def test_category_is_known(exercise: dict[str, Any]) -> None:
    assert exercise["category"] in CATEGORIES


@pytest.mark.parametrize("exercise", by_slug())
def test_equipment_is_a_list_of_known_items(exercise: dict[str, Any]) -> None:
    equipment = exercise["equipment"]
    assert isinstance(equipment, list)
    assert set(equipment) <= EQUIPMENT
    assert len(equipment) == len(set(equipment))


@pytest.mark.parametrize("exercise", by_slug())
def test_media_url_is_null(exercise: dict[str, Any]) -> None:
    assert exercise["media_url"] is None


def test_every_region_has_at_least_three_exercises() -> None:
    counts = Counter(region for e in exercises() for region in e["regions"])
    short = {r: counts[r] for r in REGIONS if counts[r] < MIN_PER_REGION}
    assert short == {}


def test_every_category_has_at_least_four_exercises() -> None:
    counts = Counter(e["category"] for e in exercises())
    short = {c: counts[c] for c in CATEGORIES if counts[c] < MIN_PER_CATEGORY}
    assert short == {}


@pytest.mark.parametrize("exercise", by_slug())
def test_dose_fields_have_valid_types_and_ranges(exercise: dict[str, Any]) -> None:
    dose = exercise["dose"]
    assert is_int(dose["sets"]) and dose["sets"] >= 1
    assert is_int(dose["times_per_day"]) and 1 <= dose["times_per_day"] <= 3
    assert dose["side"] in SIDES
    for key in ("reps", "hold_seconds", "duration_seconds"):
        value = dose[key]
        assert value is None or (is_int(value) and value >= 1), key
    rest = dose["rest_seconds"]
    assert rest is None or (is_int(rest) and rest >= 0)


@pytest.mark.parametrize("exercise", by_slug())
def test_dose_is_driven_by_exactly_one_of_reps_hold_or_duration(
    exercise: dict[str, Any],
) -> None:
    dose = exercise["dose"]
    reps, hold, duration = dose["reps"], dose["hold_seconds"], dose["duration_seconds"]
    drivers = [v for v in (reps, hold, duration) if v is not None]
    reps_with_short_hold = (
        reps is not None and hold is not None and duration is None and hold <= MAX_SHORT_HOLD
    )
    assert len(drivers) == 1 or reps_with_short_hold, dose


@pytest.mark.parametrize("exercise", by_slug())
def test_instructions_are_three_to_seven_short_steps(exercise: dict[str, Any]) -> None:
    steps = exercise["instructions"]
    assert isinstance(steps, list) and 3 <= len(steps) <= 7
    assert all(is_text(step) and len(step) <= MAX_STEP for step in steps), steps
    assert len(steps) == len(set(steps))


@pytest.mark.parametrize("exercise", by_slug())
def test_cautions_are_one_to_three_short_statements(exercise: dict[str, Any]) -> None:
    cautions = exercise["cautions"]
    assert isinstance(cautions, list) and 1 <= len(cautions) <= 3
    assert all(is_text(c) and len(c) <= MAX_CAUTION for c in cautions), cautions
    assert len(cautions) == len(set(cautions))


TRANSLATED = ("de", "es")


@cache
def load_translation(language: str) -> dict[str, Any]:
    resource = files("hep") / "data" / f"exercises.{language}.json"
    return json.loads(resource.read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_built_in_is_translated_in_full(language: str) -> None:
    """Same slugs, the same number of steps and cautions, nothing empty, nothing left in
    English."""
    document = load_translation(language)
    assert (document["version"], document["language"]) == (1, language)
    translated = document["exercises"]
    assert set(translated) == {e["slug"] for e in exercises()}
    for english in exercises():
        words = translated[english["slug"]]
        assert set(words) == {"name", "summary", "instructions", "cautions"}, english["slug"]
        for field in ("instructions", "cautions"):
            assert len(words[field]) == len(english[field]), (english["slug"], field)
        pairs = [(words["name"], english["name"]), (words["summary"], english["summary"])]
        pairs += zip(words["instructions"], english["instructions"], strict=True)
        pairs += zip(words["cautions"], english["cautions"], strict=True)
        for said, original in pairs:
            assert is_text(said), (english["slug"], said)
            assert said != original, (english["slug"], said)
