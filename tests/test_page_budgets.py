"""tests/page_budgets.py: what crosses a budget, and how a time is judged on a busy host."""

import pytest

from tests import page_budgets
from tests.page_budgets import BUDGETS, PHONE_INDEX


def numbers(**measured: float) -> dict[str, float]:
    """A page's numbers, each well inside its budget unless given."""
    within = {name: budget.limit / 2 for name, budget in BUDGETS.items()}
    return within | {"benchmark_index": 2 * PHONE_INDEX} | measured


class FakePage:
    """What measure() reads of a page: the counts its script returns."""

    def __init__(self, long_tasks: list[float]) -> None:
        self.counts = {name: 0 for name in BUDGETS if name != "blocking_ms"}
        self.counts["long_tasks"] = long_tasks

    def evaluate(self, script: str) -> dict:
        return dict(self.counts)


def test_a_page_within_every_budget_passes():
    assert page_budgets.over_budget(numbers()) == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("wrapped_code_lines", 648, "wrapped_code_lines 648 > 0 elements"),
        ("blocks_set_up_at_load", 30, "blocks_set_up_at_load 30 > 0 blocks past the first screen"),
        ("style_rules", 4_122, "style_rules 4,122 > 2,000 rules"),
        ("bytes", 1_100_000, "bytes 1,100,000 > 450,000 bytes"),
        ("blocking_ms", 1_200, "blocking_ms 1,200 > 1,000 ms"),
    ],
)
def test_a_crossed_budget_is_named_with_its_value_and_limit(name, value, message):
    [problem] = page_budgets.over_budget(numbers(**{name: value}))
    assert problem.startswith(message)
    assert f"benchmark index {2 * PHONE_INDEX:,}" in problem  # the host's speed, to explain it


def test_blocking_time_counts_each_long_tasks_excess_over_50_ms():
    page = FakePage(long_tasks=[40, 120, 300])
    measured = page_budgets.measure(page, benchmark_index=2 * PHONE_INDEX)
    assert measured["blocking_ms"] == 70 + 250


def test_a_host_slower_than_the_phone_has_its_tasks_scaled_down_to_the_phones_speed():
    page = FakePage(long_tasks=[120, 300])
    measured = page_budgets.measure(page, benchmark_index=PHONE_INDEX / 2)
    assert measured["blocking_ms"] == 10 + 100  # tasks of 60 and 150 ms on the phone


def test_blocking_time_is_looked_at_again_only_when_it_crosses_and_judged_on_the_median():
    limit = BUDGETS["blocking_ms"].limit
    assert not page_budgets.another_look([numbers(blocking_ms=limit / 2)])
    busy_moment = [numbers(blocking_ms=limit * 1.5)]
    assert page_budgets.another_look(busy_moment)
    runs = [*busy_moment, numbers(blocking_ms=limit / 2)]
    assert page_budgets.another_look(runs)
    runs.append(numbers(blocking_ms=limit / 3))
    assert not page_budgets.another_look(runs)  # three loads: judged now
    assert page_budgets.over_budget(page_budgets.median(runs)) == []
    regression = [numbers(blocking_ms=limit * 2)] * 3
    assert page_budgets.over_budget(page_budgets.median(regression)) != []
