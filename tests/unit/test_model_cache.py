"""The vocabulary and registry cache: a hit is the same model, a bad entry is ignored, a file
that fails validation is never remembered and fails the same way every time."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sharewise import paths
from sharewise.domain import model_cache
from sharewise.domain.citations import Registry
from sharewise.domain.errors import InputError
from sharewise.domain.facts import Vocabulary


def _entries() -> list[Path]:
    folder = model_cache.cache_dir()
    assert folder is not None
    return sorted(folder.glob(f"*{model_cache.SUFFIX}")) if folder.exists() else []


@pytest.mark.parametrize(
    ("path", "model"),
    [(paths.facts_path(), Vocabulary), (paths.citations_path(), Registry)],
)
def test_a_hit_is_the_shipped_file_validated(path: Path, model: type[Vocabulary]) -> None:
    fresh = model_cache.load_model_file(path, model, "file")
    assert len(_entries()) == 1
    entry = _entries()[0]
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    cached = model_cache.load_model_file(path, model, "file")
    assert cached == fresh
    assert cached.model_dump_json() == fresh.model_dump_json()


def test_a_hit_is_read_from_the_entry_not_the_yaml(tmp_path: Path) -> None:
    """Proof the entry is what a hit uses: an entry for these bytes is believed."""
    facts = tmp_path / "facts.yaml"
    facts.write_bytes(paths.facts_path().read_bytes())
    model_cache.load_model_file(facts, Vocabulary, "facts vocabulary")
    entry = _entries()[0]
    fewer = Vocabulary.model_validate_json(entry.read_bytes()).root
    fewer.pop(next(iter(fewer)))
    entry.write_text(Vocabulary(fewer).model_dump_json())
    assert len(model_cache.load_model_file(facts, Vocabulary, "x").root) == len(fewer)


def test_a_damaged_entry_is_validated_again(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_bytes(paths.facts_path().read_bytes())
    fresh = model_cache.load_model_file(facts, Vocabulary, "facts vocabulary")
    for damage in (b"\x00not json", b'{"a": {"values": 3}}', b""):
        _entries()[0].write_bytes(damage)
        assert model_cache.load_model_file(facts, Vocabulary, "x") == fresh


def test_a_changed_file_is_a_miss(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_bytes(paths.facts_path().read_bytes())
    model_cache.load_model_file(facts, Vocabulary, "facts vocabulary")
    facts.write_bytes(paths.facts_path().read_bytes() + b"\n# a comment\n")
    model_cache.load_model_file(facts, Vocabulary, "facts vocabulary")
    assert len(_entries()) == 2


def test_an_invalid_file_is_never_remembered(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("sharer:\n  values: yes\n")
    messages = []
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            model_cache.load_model_file(facts, Vocabulary, "facts vocabulary")
        messages.append(caught.value.render())
    assert messages[0] == messages[1]
    assert f"{facts}:2:" in messages[0]
    assert _entries() == []


def test_off_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = model_cache.cache_dir()
    monkeypatch.setenv(model_cache.CACHE_ENV, "off")
    assert model_cache.load_model_file(paths.facts_path(), Vocabulary, "x").root
    assert folder is not None and list(folder.iterdir()) == []
