"""Every shipped scenario decides as it expects; `scenarios check` reports and exits right."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.errors import InputError
from sharewise.domain.graph import CompiledTree, load_tree
from sharewise.domain.scenarios import check_scenario, load_scenario, scenario_files

SCENARIOS = scenario_files(paths.scenarios_dir())


@pytest.fixture(scope="module")
def england() -> CompiledTree:
    return load_tree(paths.default_tree_path())


def test_the_bank_is_not_empty() -> None:
    assert len(SCENARIOS) >= 25


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path, england: CompiledTree) -> None:
    scenario = load_scenario(path)
    assert scenario.id == path.stem
    verdict = check_scenario(england, scenario, path)
    assert verdict.ok, verdict.failures


def test_scenarios_check_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "check"]) == 0
    assert "FAIL" not in capsys.readouterr().out


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
