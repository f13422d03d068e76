"""``check_flows`` on the real flows (clean) and on broken copies (each mistake found, with its line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.problems import ContentError, Problem
from bot.flows import FlowLibrary, check_flows

CONTENT = Path(__file__).resolve().parents[2] / "routes_content"
CASH = "flows/cash_transfer_eligibility.yaml"


def test_real_flows_have_no_problems() -> None:
    assert [p.describe(CONTENT) for p in check_flows(CONTENT)] == []


def test_real_flows_load() -> None:
    library = FlowLibrary.load(CONTENT)
    assert [flow.id for flow in library.flows_for("cash_transfer")] == ["cash_transfer_eligibility"]
    assert [flow.id for flow in library.flows_for("employability")] == ["employability_profile"]
    assert library.flows_for("gbv") == ()


def broken(tmp_path: Path, old: str, new: str, file: str = CASH) -> tuple[Path, int]:
    """A copy of the content with one edit in a flow file; returns the root and the edited line."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root, line


def found(root: Path, code: str) -> list[Problem]:
    return [p for p in check_flows(root) if p.code == code]


def test_unknown_question_id_in_a_condition(tmp_path: Path) -> None:
    root, line = broken(tmp_path, "when: children > 0", "when: kids > 0")
    (problem,) = found(root, "flow_unknown_id")
    assert problem.line == line and "'kids'" in problem.message and problem.is_error


def test_condition_on_a_later_question(tmp_path: Path) -> None:
    root, line = broken(tmp_path, "when: children > 0", 'when: income == "none"')
    (problem,) = found(root, "flow_unknown_id")
    assert problem.line == line and "is not asked before it" in problem.message


def test_unknown_id_in_a_programme_rule(tmp_path: Path) -> None:
    old = "- when: receives_cash == yes\n      outcome"
    root, line = broken(tmp_path, old, old.replace("receives", "recieves"))
    (problem,) = found(root, "flow_unknown_id")
    assert problem.line == line


def test_unreachable_question(tmp_path: Path) -> None:
    root, _ = broken(tmp_path, "when: household_size > 1", "when: household_size > 30")
    (problem,) = found(root, "flow_unreachable")
    assert "'single_woman_head'" in problem.message


def test_outcomes_not_covering_all_answers(tmp_path: Path) -> None:
    root, _ = broken(tmp_path, "    - outcome: needs_review\n# ====", "# ====")
    (problem,) = found(root, "flow_uncovered")
    assert problem.is_error and "income=" in problem.message


def test_unused_outcome_is_a_warning(tmp_path: Path) -> None:
    root, _ = broken(tmp_path, "      outcome: not_eligible_now", "      outcome: needs_review")
    (problem,) = found(root, "flow_unused_outcome")
    assert not problem.is_error and "'not_eligible_now'" in problem.message


def test_missing_translation(tmp_path: Path) -> None:
    old = "      ht: Èske youn nan yo poko gen 5 an?\n"
    root, _ = broken(tmp_path, old, "")
    (problem,) = found(root, "flow_missing_translation")
    assert "ht" in problem.message


def test_value_a_choice_does_not_offer(tmp_path: Path) -> None:
    root, line = broken(tmp_path, 'income == "enough"', 'income == "enuf"')
    (problem,) = found(root, "flow_bad_value")
    assert problem.line == line and "'enuf'" in problem.message


def test_unknown_outcome(tmp_path: Path) -> None:
    root, line = broken(tmp_path, "      outcome: not_eligible_now", "      outcome: not_eligble")
    (problem,) = found(root, "flow_unknown_outcome")
    assert problem.line == line


def test_unknown_route_offered(tmp_path: Path) -> None:
    root, _ = broken(tmp_path, "topic:shelter]", "topic:shelters]")
    assert len(found(root, "flow_offer")) == 1


def test_unknown_section_offered(tmp_path: Path) -> None:
    old, new = "[section:employability:training]", "[section:employability:trainings]"
    root, _ = broken(tmp_path, old, new, "flows/employability_profile.yaml")
    assert len(found(root, "flow_offer")) == 1


def test_schema_error_names_file_line_and_field(tmp_path: Path) -> None:
    root, line = broken(tmp_path, "    type: months_ago", "    type: months")
    (problem,) = found(root, "flow_schema")
    assert problem.file.name == "cash_transfer_eligibility.yaml" and problem.line == line
    assert "type" in problem.message
    with pytest.raises(ContentError, match=r"cash_transfer_eligibility.yaml:\d+"):
        FlowLibrary.load(root)


def test_bad_condition_syntax_names_the_line(tmp_path: Path) -> None:
    root, line = broken(tmp_path, "when: children > 0", "when: children >")
    (problem,) = found(root, "flow_schema")
    assert problem.line == line and "bad condition" in problem.message


def test_no_flows_folder_means_no_problems(tmp_path: Path) -> None:
    assert check_flows(tmp_path) == []
