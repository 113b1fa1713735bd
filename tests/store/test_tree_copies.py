"""The ledger keeps a copy of each tree its records were decided on, once per tree.

Run on every backend. A record must be replayable on its own rules after the shipped tree
has changed, so the copy must be exactly the bytes its digest names, kept once however many
records use it, refused any change, and checked by `verify`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from ledger_harness import Harness, fill, make_details

from sharewise.domain.decide import decide
from sharewise.domain.graph import load_tree, load_tree_source
from sharewise.domain.result import DecisionResult
from sharewise.store.verify import verify

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "trees" / "example.yaml"
FACTS = {"immediate_danger": "no", "identifiable": "yes", "sharer": "public_authority"}


def _decided(path: Path) -> DecisionResult:
    return decide(load_tree(path), FACTS)


def _variant(tmp_path: Path) -> Path:
    """The example tree with one citation changed: another tree, another digest."""
    text = EXAMPLE.read_text()
    old = "supporting: [guidance.hmg2024]}"
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, "supporting: [guidance.wt2023]}", 1))
    return path


def test_each_tree_is_kept_once_with_its_exact_bytes(harness: Harness, tmp_path: Path) -> None:
    first, second = _decided(EXAMPLE), _decided(_variant(tmp_path))
    assert first.tree.sha256 != second.tree.sha256
    with harness.open() as ledger:
        refs = [ledger.record_decision(first, make_details()) for _ in range(3)]
        other = ledger.record_decision(second, make_details())
        held = ledger.held_trees()
        assert held == {first.tree.sha256: refs[0].seq, second.tree.sha256: other.seq}
        assert ledger.tree_source(first.tree.sha256) == EXAMPLE.read_bytes()
        assert ledger.tree_source("0" * 64) is None
    assert harness.sql("SELECT COUNT(*) FROM trees") == [(2,)]
    # A second program (a fresh connection, nothing remembered) finds it held.
    with harness.open() as ledger:
        ledger.record_decision(first, make_details())
        assert len(ledger.held_trees()) == 2
        assert verify(ledger.backend).intact


def test_a_stored_tree_loads_and_decides_as_the_original(harness: Harness) -> None:
    original = _decided(EXAMPLE)
    with harness.open() as ledger:
        ref = ledger.record_decision(original, make_details())
        entry = ledger.get(ref.id)
        assert entry.result is not None
        raw = ledger.tree_source(entry.result.tree.sha256)
    assert raw is not None and hashlib.sha256(raw).hexdigest() == original.tree.sha256
    again = decide(load_tree_source(raw, "ledger copy"), FACTS)
    assert again.model_dump() == original.model_dump()


def test_a_result_from_no_loaded_tree_keeps_no_copy(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 2)  # results built in memory: no tree bytes to keep
        assert ledger.held_trees() == {}
        assert verify(ledger.backend).intact


@pytest.mark.parametrize("statement", ["UPDATE trees SET body = ?", "DELETE FROM trees"])
def test_stored_trees_refuse_change(harness: Harness, statement: str) -> None:
    with harness.open() as ledger:
        ledger.record_decision(_decided(EXAMPLE), make_details())
    params: tuple[object, ...] = (b"rules: none",) if "?" in statement else ()
    with pytest.raises(Exception, match="stored trees are never changed"):
        harness.sql(statement, params)
    assert harness.sql("SELECT COUNT(*) FROM trees") == [(1,)]


def test_verify_finds_an_altered_tree(harness: Harness) -> None:
    with harness.open() as ledger:
        fill(ledger, 1)
        ref = ledger.record_decision(_decided(EXAMPLE), make_details())
    harness.drop_guards()
    harness.sql("UPDATE trees SET body = ?", (EXAMPLE.read_bytes().replace(b"share", b"keep"),))
    harness.cover_tracks()
    with harness.open() as ledger:
        report = verify(ledger.backend)
    assert [(b.seq, b.message.split(" (")[0]) for b in report.breaks] == [
        (ref.seq, f"the stored copy of tree {_decided(EXAMPLE).tree.sha256[:12]}")
    ]


def test_a_ledger_from_before_tree_copies_is_upgraded(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sharewise.store import postgres, sqlite

    with monkeypatch.context() as old:
        old.setattr(sqlite, "SCHEMA_VERSION", 1)
        old.setattr(postgres, "SCHEMA_VERSION", 1)
        if harness.name == "postgres":
            from pg_harness import write_as_schema_2_did

            write_as_schema_2_did(old)
        with harness.open() as ledger:
            fill(ledger, 3)
    with harness.open() as ledger:  # this sharewise: the trees table is added on opening
        ref = ledger.record_decision(_decided(EXAMPLE), make_details())
        assert list(ledger.held_trees().values()) == [ref.seq] and ref.seq == 4
        assert verify(ledger.backend).intact
    with harness.open() as ledger:  # and opened again, nothing is done twice
        assert ledger.count() == 4


def test_a_tree_already_kept_is_not_read_again_for_each_record(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tree's bytes are held compressed and checked against their digest when handed
    out: doing that for every record (3 of an append's 4.8 ms) only to find the copy already
    kept is waste. Read for the first record; after that, not while the connection knows."""
    from sharewise.domain import tree_sources

    result = _decided(EXAMPLE)
    asked: list[str] = []
    real = tree_sources.source

    def counting(sha256: str) -> bytes | None:
        asked.append(sha256)
        return real(sha256)

    monkeypatch.setattr(tree_sources, "source", counting)
    with harness.open() as ledger:
        for _ in range(4):
            ledger.record_decision(result, make_details())
        assert ledger.held_trees() == {result.tree.sha256: 1}
    assert asked == [result.tree.sha256]
