"""The bench's generator, adapter and independent checker agree with each other and with
the schema, and the checker catches broken rules."""

import copy
import json
import sys
from pathlib import Path

import jsonschema
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scheduling"
sys.path.insert(0, str(BENCH))

from check import check  # noqa: E402
from generate import generate  # noqa: E402
from run import Adapter  # noqa: E402

from exhibitions.scheduling.engine import solve  # noqa: E402


@pytest.fixture(scope="module")
def pavilion():
    data = generate("pavilion", 1)
    adapter = Adapter(data)
    solution = solve(adapter.instance, seconds=2)
    return data, adapter, solution, adapter.lines(solution.placements)


def test_generated_file_is_valid_exhibition_data_2():
    schema = json.loads((BENCH / "exhibition-data-2.schema.json").read_text())
    jsonschema.validate(generate("pavilion", 2), schema)


def test_engine_schedule_passes_the_checker_with_the_same_value(pavilion):
    data, adapter, solution, lines = pavilion
    summary, violations = check(data, lines, adapter.slug)
    assert violations == []
    assert summary["value"] == solution.value
    assert any(line["status"] == "accepted" for line in lines)


def test_checker_catches_each_broken_rule(pavilion):
    data, adapter, _, lines = pavilion
    drafts = [i for i, line in enumerate(lines) if line["status"] == "draft"]
    first, second = lines[drafts[0]], next(lines[i] for i in drafts if lines[i]["buyer"] != lines[drafts[0]]["buyer"])
    interpreted = next(lines[i] for i in drafts if lines[i]["interpreter"])

    def broken(change):
        schedule = copy.deepcopy(lines)
        change(schedule)
        return check(data, schedule, adapter.slug)[1]

    def double_book(schedule):
        schedule.append(
            {**second, "buyer": first["buyer"], "starts_at": first["starts_at"], "ends_at": first["ends_at"]}
        )

    assert any("in 2 meetings" in v for v in broken(double_book))
    assert any("neither its booth" in v for v in broken(lambda s: s[drafts[0]].update(place="B-999")))
    assert any("no interpreter" in v for v in broken(lambda s: s[lines.index(interpreted)].update(interpreter=None)))
    assert any("meets 2 times" in v for v in broken(lambda s: s.append(dict(first))))
    assert any(
        "not at the start of a slot" in v
        for v in broken(
            lambda s: s[drafts[0]].update(starts_at=first["starts_at"][:14] + "10" + first["starts_at"][16:])
        )
    )
    accepted = next(i for i, line in enumerate(lines) if line["status"] == "accepted")
    assert any("moved or missing" in v for v in broken(lambda s: s.pop(accepted)))
