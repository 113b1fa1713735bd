"""Checkpoint files: every field checked, any shape of file a message, the signature over
everything in it, and a signer that was not checked said so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ledger_harness import fill

from sharewise.cli import main
from sharewise.store import open_ledger


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with open_ledger(str(folder)) as ledger:
        fill(ledger, 2)
    return folder


def _point(data: Path, tmp_path: Path, *sign: str) -> Path:
    out = tmp_path / "point.json"
    assert main(["records", "checkpoint", "--data-dir", str(data), "--out", str(out), *sign]) == 0
    return out


def _verify(data: Path, point: Path, *more: str) -> int:
    return main(["records", "verify", "--data-dir", str(data), "--checkpoint", str(point), *more])


@pytest.mark.parametrize(
    "change",
    [
        {"size": -1},
        {"size": 2.0},
        {"size": True},
        {"size": "2"},
        {"head": "0" * 63},
        {"alg": "md5"},
        {"created": "yesterday"},
        {"ledger": ""},
        {"signature": {"alg": "rsa"}},
    ],
    ids=repr,
)
def test_a_field_that_cannot_be_right_is_refused(
    data: Path, tmp_path: Path, change: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    """An unsigned checkpoint with size -1 used to "match" any ledger."""
    point = _point(data, tmp_path)
    fields = json.loads(point.read_text())
    point.write_text(json.dumps({**fields, **change}))
    assert _verify(data, point) == 2
    err = capsys.readouterr().err
    assert "not a valid checkpoint" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "sharewise-checkpoint/2", "size": 1e400}',
        "[" * 100_000 + "]" * 100_000,
        '{"size": NaN}',
        "\udcff",
        "x" * 200_000,
    ],
    ids=["1e400", "deep", "NaN", "not-utf8", "huge"],
)
def test_any_file_is_a_message_never_a_traceback(
    data: Path, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    point = tmp_path / "point.json"
    point.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert _verify(data, point) == 2
    err = capsys.readouterr().err
    assert "checkpoint" in err and "Traceback" not in err


def test_the_signature_covers_the_time_and_algorithm(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "ig.key"
    assert main(["records", "keygen", "--out", str(key)]) == 0
    point = _point(data, tmp_path, "--sign-key", str(key))
    assert _verify(data, point, "--public-key", f"{key}.pub") == 0
    fields = json.loads(point.read_text())
    point.write_text(json.dumps({**fields, "created": "2020-01-01T00:00:00.000000Z"}))
    assert _verify(data, point, "--public-key", f"{key}.pub") == 1
    assert "signature does not match its contents" in capsys.readouterr().out


def test_a_signer_that_was_not_checked_is_said(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --public-key, a checkpoint re-signed by whoever rewrote the ledger verifies
    against the key inside it: verify must say that the signer was not checked."""
    key = tmp_path / "ig.key"
    assert main(["records", "keygen", "--out", str(key)]) == 0
    capsys.readouterr()
    point = _point(data, tmp_path, "--sign-key", str(key))
    assert _verify(data, point) == 0
    assert "checked only against the public key written inside it" in capsys.readouterr().err
    assert _verify(data, point, "--json") == 0
    assert json.loads(capsys.readouterr().out)["warnings"]
    assert _verify(data, point, "--public-key", f"{key}.pub") == 0
    assert "warning" not in capsys.readouterr().err


def test_an_unsigned_checkpoint_still_matches(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    point = _point(data, tmp_path)
    assert _verify(data, point) == 0
    assert "matches the checkpoint" in capsys.readouterr().out
    with open_ledger(str(data)) as ledger:
        fill(ledger, 1)
    assert _verify(data, point) == 0  # a longer ledger still contains it
