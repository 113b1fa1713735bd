"""Every shipped scenario decides as it expects; `scenarios check` reports and exits right."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.errors import InputError
from sharewise.domain.graph import CompiledTree
from sharewise.domain.scenarios import (
    Theme,
    check_directory,
    check_scenario,
    load_scenario,
    scenario_files,
)

SCENARIOS = scenario_files(paths.scenarios_dir())


def test_the_bank_is_not_empty() -> None:
    assert len(SCENARIOS) >= 25


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path, england: CompiledTree) -> None:
    scenario = load_scenario(path)
    assert scenario.id == path.stem
    verdict = check_scenario(england, scenario, path)
    assert verdict.ok, verdict.failures


def test_scenarios_check_passes_the_whole_bank(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scenarios", "check"])
    out = capsys.readouterr().out
    assert not [line for line in out.splitlines() if line.startswith("FAIL")]
    assert code == 0


def test_every_theme_has_four_scenarios() -> None:
    """The Review Panel's six practice themes, each taught by at least four cases."""
    counts = {theme: 0 for theme in Theme}
    for path in SCENARIOS:
        counts[load_scenario(path).theme] += 1
    assert all(n >= 4 for n in counts.values()), counts


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_learning_points_say_what_to_do_when_unconfirmed(path: Path) -> None:
    """LAW.md: where the law is unconfirmed, route to advice; a learning point that says
    "unconfirmed" must say what to do about it."""
    for point in load_scenario(path).learning_points:
        if "unconfirmed" in point.lower():
            assert "advice" in point.lower(), point


def _bad_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    source = paths.scenarios_dir() / name
    text = source.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_a_trainers_folder_is_checked_as_strictly_as_a_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown facts, values, citations and themes are located FILE:LINE:COL, exit 2."""
    _bad_copy(tmp_path, "court-order.yaml", "  confidential:", "  confidentail:")
    _bad_copy(tmp_path, "press-request.yaml", "theme: Organisational", "theme: Organizational")
    _bad_copy(tmp_path, "child-disclosure-at-school.yaml", "- ukgdpr.art10\n", "- ukgdpr.art99\n")
    _bad_copy(tmp_path, "fgm-mandatory-report.yaml", "necessary: 'yes'", "necessary: perhaps")
    assert main(["scenarios", "check", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    court = tmp_path / "court-order.yaml"
    line = (
        court.read_text(encoding="utf-8")
        .splitlines()
        .index(
            next(x for x in court.read_text(encoding="utf-8").splitlines() if "confidentail" in x)
        )
    )
    assert f"{court}:{line + 1}:3: facts: unknown fact 'confidentail'" in out
    assert f"{tmp_path / 'press-request.yaml'}:3:8: theme: Input should be" in out
    assert "unknown citation 'ukgdpr.art99'" in out
    assert "necessary: 'perhaps' is not a value of this fact (fix: use one of:" in out


def test_a_repeated_id_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(paths.scenarios_dir() / "court-order.yaml", tmp_path / "a.yaml")
    shutil.copy(paths.scenarios_dir() / "court-order.yaml", tmp_path / "b.yaml")
    assert main(["scenarios", "check", str(tmp_path)]) == 2
    assert "'court-order' is also the id of a.yaml" in capsys.readouterr().out


def test_a_missing_fact_is_located_in_the_scenario(tmp_path: Path, england: CompiledTree) -> None:
    """A fact the tree asks that the scenario lacks points at the scenario's facts block."""
    path = _bad_copy(tmp_path, "court-order.yaml", "  legal_requirement: court_order\n", "")
    (verdict,) = check_directory(england, tmp_path)
    assert not verdict.unreadable
    assert verdict.failures
    assert f"{path}:" in verdict.failures[0]
    assert "missing fact 'legal_requirement'" in verdict.failures[0]


def test_scenarios_check_exits_1_on_mismatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = paths.scenarios_dir() / "press-request.yaml"
    text = source.read_text(encoding="utf-8").replace("- do_not_share", "- share")
    (tmp_path / "press-request.yaml").write_text(text, encoding="utf-8")
    shutil.copy(paths.scenarios_dir() / "court-order.yaml", tmp_path)
    assert main(["scenarios", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL press-request" in out
    assert "expected share" in out
    assert "ok   court-order" in out


def test_citation_expectations_are_checked(tmp_path: Path, england: CompiledTree) -> None:
    source = paths.scenarios_dir() / "child-disclosure-at-school.yaml"
    scenario = load_scenario(source)
    wrong = scenario.model_copy(
        update={"expect": scenario.expect.model_copy(update={"cite_none": ["ukgdpr.art9.2g"]})}
    )
    verdict = check_scenario(england, wrong)
    assert verdict.failures == ["cites ukgdpr.art9.2g, which it must not"]


def test_scenario_files_are_strict(tmp_path: Path) -> None:
    source = paths.scenarios_dir() / "court-order.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.read_text(encoding="utf-8") + "surprise: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(bad)
    assert "surprise" in info.value.render()


def test_missing_folder_is_bad_input(tmp_path: Path) -> None:
    assert main(["scenarios", "check", str(tmp_path / "nowhere")]) == 2
