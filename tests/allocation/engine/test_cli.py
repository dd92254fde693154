"""`ketenconf assign`: called as main() and as a module, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ketenconf.allocation.engine.cli import main

from .helpers import problem

REPO = Path(__file__).resolve().parents[3]


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_writes_the_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "in.json", problem())
    target = tmp_path / "out.json"
    assert main([str(source), "-o", str(target), "--time-limit", "20"]) == 0
    out = json.loads(target.read_text(encoding="utf-8"))
    assert out["status"] == "optimal"
    assert out["objective"] == 10
    assert out["lower_bound"] == 10
    assert out["assignment"] == {"p1": {"r1": "s2", "r2": "s3"}, "p2": {"r1": "s1", "r2": "s4"}}
    assert out["unassigned"] == []
    assert out["metrics"]["rank_counts"] == {"1": 2, "2": 2}
    assert out["metrics"]["worst_rank"] == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("optimal: objective 10, lower bound 10 (gap 0.000%)")


def test_progress_is_plain_lines_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "in.json", problem())
    main([str(source), "-o", str(tmp_path / "out.json")])
    err = capsys.readouterr().err
    assert "\r" not in err
    assert "2 participants, 4 seats to give, 4 sessions" in err.splitlines()[0]


def test_invalid_input_exits_2_lists_every_problem_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = problem()
    data["participants"][1]["preferences"].append("t9")
    data["sessions"][0]["capacity"] = -2
    source = write(tmp_path / "in.json", data)
    target = tmp_path / "out.json"
    assert main([str(source), "-o", str(target)]) == 2
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]
    assert capsys.readouterr().err.splitlines() == [
        f'ketenconf assign: "{source}" is not a valid problem:',
        "  sessions[0].capacity: must not be negative, not -2",
        '  participants[1].preferences[2]: topic "t9" is not in sessions',
    ]


def test_broken_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text('{"rounds": [', encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "out.json")]) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        "  input: not valid JSON: Expecting value at line 1 column 13"
    )
    assert not (tmp_path / "out.json").exists()


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.json"), "-o", str(tmp_path / "out.json")]) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        f'  input: cannot read "{tmp_path / "nope.json"}": No such file or directory'
    )


def test_same_seed_same_file(tmp_path: Path) -> None:
    data = problem()
    data["participants"] += [
        {"id": f"x{i}", "organisation": f"o{i % 3}", "preferences": ["t1", "t3", "t2"]}
        for i in range(6)
    ]
    for session in data["sessions"]:
        session["capacity"] = 3
    source = write(tmp_path / "in.json", data)
    outputs = []
    for name in ("a.json", "b.json"):
        assert main([str(source), "-o", str(tmp_path / name), "--seed", "5"]) == 0
        out = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        del out["metrics"]["seconds"]
        outputs.append(out)
    assert outputs[0] == outputs[1]


def test_runs_as_a_module_with_clean_stdout(tmp_path: Path) -> None:
    source = write(tmp_path / "in.json", problem())
    target = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "ketenconf.allocation.engine.cli", str(source), "-o", str(target)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["objective"] == 10


def _fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *options: str
) -> list[str]:
    source = tmp_path / "in.json"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "out.json"
    assert main([str(source), "-o", str(target), *options]) == 2
    assert not target.exists()
    return capsys.readouterr().err.splitlines()[1:]


def test_deep_nesting_is_a_listed_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 100,000 levels made the JSON reader raise RecursionError (a traceback, exit 1).
    for depth in (40, 100_000):
        text = '{"rounds": ' + "[" * depth + "]" * depth + "}"
        assert _fails(tmp_path, capsys, text) == ["  input: not valid JSON: nested too deep"]


def test_huge_numbers_are_listed_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = problem(move_cost=10**19)
    data["sessions"][0]["capacity"] = 10**20
    assert _fails(tmp_path, capsys, json.dumps(data)) == [
        "  sessions[0].capacity: must be at most 1,000,000",
        "  move_cost: must be at most 1,000,000,000",
    ]
    text = json.dumps(problem()).replace('"capacity": 2', '"capacity": ' + "9" * 5000, 1)
    [line] = _fails(tmp_path, capsys, text)
    assert line.startswith("  input: not valid JSON: Exceeds the limit (4300 digits)")


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "86401"])
def test_a_time_limit_that_is_not_a_positive_finite_number_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    source = write(tmp_path / "in.json", problem())
    assert main([str(source), "-o", str(tmp_path / "out.json"), f"--time-limit={value}"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "ketenconf assign: --time-limit must be a number of seconds greater than 0 and at most "
        f"86,400, not {float(value)}"
    ]
    assert not (tmp_path / "out.json").exists()


def test_a_seed_out_of_range_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "in.json", problem())
    assert main([str(source), "-o", str(tmp_path / "out.json"), "--seed", "-3"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "ketenconf assign: --seed must be a whole number from 0 to 2,147,483,647, not -3"
    ]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(problem()).encode("utf-8"))
    target = tmp_path / "out.json"
    assert main([str(source), "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["objective"] == 10


def test_ids_with_dots_and_newlines_cannot_forge_paths_or_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = problem()
    data["participants"][0]["fixed"] = {"r.1": "s1", "r1\n  sessions[0]: forged": "s1"}
    assert _fails(tmp_path, capsys, json.dumps(data)) == [
        '  participants[0].fixed["r.1"]: round "r.1" is not in rounds',
        '  participants[0].fixed["r1\\n  sessions[0]: forged"]: '
        'round "r1\\n  sessions[0]: forged" is not in rounds',
    ]


def test_an_overlong_id_is_a_listed_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = problem()
    data["participants"][0]["id"] = "p" * 201
    assert _fails(tmp_path, capsys, json.dumps(data)) == [
        "  participants[0].id: must be at most 200 characters, not 201"
    ]
