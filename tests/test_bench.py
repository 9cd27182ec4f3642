"""`python -m bench`: which benchmarks a command line asks for."""

from __future__ import annotations

import pytest

from bench.__main__ import BENCHES, chosen


def test_no_name_runs_every_benchmark() -> None:
    assert chosen([]) == (list(BENCHES), False)


def test_named_benchmarks_run_in_the_order_given() -> None:
    assert chosen(["push", "adherence", "--quick"]) == (["push", "adherence"], True)


def test_an_unknown_name_stops_with_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        chosen(["adherance"])
    assert stop.value.code == 2
    assert "unknown benchmark adherance (choose from adherence," in capsys.readouterr().err
