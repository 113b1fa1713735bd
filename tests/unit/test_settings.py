"""Settled answers: only organisation and role facts, answered without asking, and undoable."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sharewise import paths
from sharewise.cli import main
from sharewise.domain.errors import InputError
from sharewise.domain.facts import load_vocabulary
from sharewise.domain.graph import load_tree
from sharewise.domain.settings import load_settings, save_settings, settings_path
from sharewise.domain.walk import Walk

VOCAB = load_vocabulary(paths.facts_path())


def test_only_organisation_and_practitioner_facts_may_be_settled(tmp_path: Path) -> None:
    settable = {n for n in VOCAB.names() if VOCAB[n].scope != "case"}
    assert settable == {"sharer", "apd_in_place", "care_professional", "organisation_kind"}
    with pytest.raises(InputError, match="changes from case to case"):
        save_settings(tmp_path, {"immediate_danger": "no"}, VOCAB)
    with pytest.raises(InputError, match="cannot be settled"):
        save_settings(tmp_path, {"apd_in_place": "unsure"}, VOCAB)
    with pytest.raises(InputError, match="cannot be settled"):
        save_settings(tmp_path, {"organisation_kind": "unsure"}, VOCAB)
    assert not settings_path(tmp_path).exists()  # nothing written on a refusal


def test_the_kind_of_public_body_is_settled_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An NHS trust's IG lead settles it once; `settings show` lists it with the others."""
    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "settings", "set", "organisation_kind", "nhs_body"]) == 0
    assert load_settings(tmp_path, VOCAB) == {"organisation_kind": "nhs_body"}
    capsys.readouterr()
    assert main([*data, "settings", "show"]) == 0
    out = capsys.readouterr().out
    assert "organisation_kind [organisation]: nhs_body (an NHS body" in out
    assert main([*data, "settings", "set", "organisation_kind", "unsure"]) == 2
    assert "'unsure' cannot be settled" in capsys.readouterr().err


def test_round_trip_and_private_file(tmp_path: Path) -> None:
    save_settings(tmp_path, {"sharer": "public_authority", "apd_in_place": "yes"}, VOCAB)
    assert load_settings(tmp_path, VOCAB) == {"sharer": "public_authority", "apd_in_place": "yes"}
    assert stat.S_IMODE(settings_path(tmp_path).stat().st_mode) == 0o600


def test_a_bad_file_names_its_line(tmp_path: Path) -> None:
    settings_path(tmp_path).write_text("facts:\n  sharer: public_authority\n  concern: x\n")
    with pytest.raises(InputError) as info:
        load_settings(tmp_path, VOCAB)
    assert info.value.render().startswith(f"{settings_path(tmp_path)}:3:12: 'concern'")


def test_presets_answer_without_asking(example_tree_path: Path) -> None:
    tree = load_tree(example_tree_path)
    walk = Walk(tree, preset={"sharer": "public_authority"})
    walk.answer("no")
    walk.answer("yes")  # the sharer question is answered from the preset
    assert walk.finished and walk.outcome is not None
    assert walk.outcome.title == "Share under public task"
    steps = walk.steps()
    assert [s.preset for s in steps] == [False, False, True]
    assert walk.result().to_json_dict()["path"][-1] == {
        "node": "sharer",
        "fact": "sharer",
        "answer": "public_authority",
        "preset": True,
    }


def test_back_undoes_the_persons_answer_and_the_presets_after_it(example_tree_path: Path) -> None:
    walk = Walk(load_tree(example_tree_path), preset={"sharer": "public_authority"})
    walk.answer("no")
    walk.answer("yes")
    walk.back()
    assert walk.node == "identifiable" and len(walk.answers) == 1


def test_jumping_back_to_a_preset_answers_it_yourself(example_tree_path: Path) -> None:
    walk = Walk(load_tree(example_tree_path), preset={"sharer": "public_authority"})
    walk.answer("no")
    walk.answer("yes")
    cleared = walk.jump_back(2)
    assert [a.node for a in cleared] == ["sharer"] and cleared[0].preset
    assert walk.node == "sharer"  # asked now, for this case
    walk.answer("other_organisation")
    assert walk.outcome is not None and walk.outcome.title.endswith("legitimate interest")
    assert walk.steps()[-1].preset is False


def test_presets_never_jump_ahead_of_the_start(example_tree_path: Path) -> None:
    # The walk starts on the danger question: settled facts asked later do not skip it.
    walk = Walk(load_tree(example_tree_path), preset={"sharer": "public_authority"})
    assert walk.node == "danger" and walk.answers == []


def test_a_preset_the_tree_cannot_use_is_asked(example_tree_path: Path) -> None:
    walk = Walk(load_tree(example_tree_path), preset={"sharer": "not_a_value"})
    walk.answer("no")
    walk.answer("yes")
    assert walk.node == "sharer" and not walk.finished  # asked, not guessed


def test_settings_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "settings", "set", "sharer", "other_organisation"]) == 0
    assert main(["--data-dir", data, "settings", "show"]) == 0
    assert "sharer [organisation]: other_organisation" in capsys.readouterr().out
    assert main(["--data-dir", data, "settings", "set", "concern", "unsure"]) == 2
    assert main(["--data-dir", data, "settings", "unset", "sharer"]) == 0
    assert main(["--data-dir", data, "settings", "show"]) == 0
    assert "sharer [organisation]: asked in every case" in capsys.readouterr().out


def test_settled_is_the_presets_still_in_effect(example_tree_path: Path) -> None:
    walk = Walk(load_tree(example_tree_path), preset={"sharer": "public_authority"})
    walk.answer("no")
    walk.answer("yes")
    assert walk.settled == {"sharer": "public_authority"}
    walk.jump_back(2)  # answering it yourself for this case
    assert walk.settled == {} and walk.preset == {"sharer": "public_authority"}
