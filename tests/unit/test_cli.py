"""The command line as scripts use it: outputs, JSON keys and exit codes from the contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sharewise.cli import main


def run(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sharewise", *argv],
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
    )


def _facts(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "facts.yaml"
    f.write_text(text)
    return f


def test_decide_json_has_the_contract_keys(
    example_tree_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _facts(tmp_path, 'immediate_danger: "no"\nidentifiable: "yes"\nsharer: public_authority\n')
    code = main(["decide", "--facts", str(f), "--tree", str(example_tree_path), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decision"] == "share"
    assert set(data["outcome"]) >= {"id", "title", "summary", "actions"}
    assert data["citations"] == ["ukgdpr.art6.1e", "guidance.hmg2024"]
    assert data["path"][-1] == {"node": "sharer", "fact": "sharer", "answer": "public_authority"}
    assert set(data["tree"]) >= {"id", "version", "sha256"}


def test_decide_text_names_the_law(
    example_tree_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _facts(tmp_path, 'immediate_danger: "yes"\n')
    assert main(["decide", "--facts", str(f), "--tree", str(example_tree_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Decision: SHARE URGENTLY - Act now")
    assert "UK GDPR Art 6(1)(d) - vital interests [ukgdpr.art6.1d]" in out


def test_decide_bad_facts_exit_2_with_one_located_line(
    example_tree_path: Path, tmp_path: Path
) -> None:
    f = _facts(tmp_path, 'immediate_danger: "no"\nidentifiable: maybe\n')
    proc = run("decide", "--facts", str(f), "--tree", str(example_tree_path))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"sharewise: {f}:2:15: identifiable: 'maybe' is not a value")
    assert "Traceback" not in proc.stderr


def test_decide_missing_file_exit_2(tmp_path: Path) -> None:
    proc = run("decide", "--facts", str(tmp_path / "none.yaml"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_batch_keeps_order_reports_bad_lines_and_exits_2(example_tree_path: Path) -> None:
    lines = [
        {"immediate_danger": "yes"},
        "this is not json",
        {"immediate_danger": "no", "identifiable": "no"},
        {"immediate_danger": "sometimes"},
        [1, 2],
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    proc = run("decide", "--batch", "-", "--tree", str(example_tree_path), stdin=stdin)
    assert proc.returncode == 2
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o.get("decision") for o in out] == [
        "share_urgently",
        None,
        "no_personal_data",
        None,
        None,
    ]
    assert [o.get("line") for o in out] == [None, 2, None, 4, 5]
    assert "sometimes" in out[3]["error"]


def test_batch_all_good_exits_0(example_tree_path: Path, tmp_path: Path) -> None:
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(json.dumps({"immediate_danger": "yes"}) for _ in range(50)))
    proc = run("decide", "--batch", str(batch), "--tree", str(example_tree_path))
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 50


@pytest.mark.parametrize(
    ("fmt", "marker"), [("mermaid", "flowchart TD"), ("dot", "digraph"), ("text", "? Is anyone")]
)
def test_tree_show_formats(
    example_tree_path: Path, fmt: str, marker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tree", "show", str(example_tree_path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert marker in out
    assert "act_now" in out


def test_mermaid_has_an_edge_per_choice(
    example_tree_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["tree", "show", str(example_tree_path), "--format", "mermaid"])
    from sharewise import paths
    from sharewise.domain.facts import load_vocabulary

    vocab = load_vocabulary(paths.facts_path())
    edges = [line for line in capsys.readouterr().out.splitlines() if "-->" in line]
    # Every value of every fact asked has its edge, the `otherwise` ones included.
    expected = sum(len(vocab[f].values) for f in ("immediate_danger", "identifiable", "sharer"))
    assert len(edges) == expected
    assert '  sharer -- "competent_authority" --> ask_now' in edges


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip().startswith("sharewise 0.")


def test_decide_json_path_has_one_entry_per_fact_for_a_paired_answer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract: `path` holds one {node, fact, answer} per fact, so an answer that
    settled two facts gives two entries with the same node."""
    from sharewise import paths

    root = paths.default_tree_path().parent
    monkeypatch.chdir(root / "scenarios")
    assert (
        main(["decide", "--facts", "../scenarios/child-disclosure-at-school.yaml", "--json"]) == 0
    )
    path = json.loads(capsys.readouterr().out)["path"]
    assert all(set(p) == {"node", "fact", "answer"} for p in path)
    by_fact = {p["fact"]: p for p in path}
    assert len(by_fact) == len(path)
    sharer, capacity = by_fact["sharer"], by_fact["care_professional"]
    assert sharer["node"] == capacity["node"]
    assert (sharer["answer"], capacity["answer"]) == ("public_authority", "no")
    assert path.index(capacity) == path.index(sharer) + 1


def test_overview_has_a_box_per_set_of_facts_and_each_step_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The England overview: small enough to draw, yet every fact asked and every decision."""
    from sharewise import paths
    from sharewise.domain.graph import load_tree

    england = paths.shipped_trees()[0]
    tree = load_tree(england)
    assert main(["tree", "show", str(england), "--format", "overview"]) == 0
    lines = capsys.readouterr().out.splitlines()
    boxes = [line for line in lines if '["' in line and "([" not in line]
    edges = [line for line in lines if "-->" in line]
    kinds = {tuple(q.facts()) for q in tree.model.questions.values()}
    assert len(boxes) == len(kinds) < 30
    assert len(edges) == len(set(edges)) < 150
    assert any('"sharer + care_professional"' in box for box in boxes)
    for decision in ("share_urgently", "share", "do_not_share", "seek_advice"):
        assert any(edge.endswith(f"--> {decision}") for edge in edges)
