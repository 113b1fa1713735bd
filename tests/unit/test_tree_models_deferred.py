"""The tree's node models build their own validators on first use; TreeFile's is built at
import, and a node validated on its own validates as before."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pydantic import ValidationError

from sharewise.domain import tree


def test_only_the_tree_files_validator_is_built_at_import() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                from sharewise.domain import tree
                print([m.__name__ for m in (tree.Option, tree.Question, tree.Law, tree.Advice,
                       tree.Outcome, tree.TreeFile) if m.__pydantic_complete__])
                """
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "['TreeFile']"


def test_a_node_validated_on_its_own_is_refused_as_before() -> None:
    option = tree.Option.model_validate({"value": " yes ", "label": "Yes", "next": "done"})
    assert option.value == "yes"  # stripped, as every node's text is
    with pytest.raises(ValidationError) as info:
        tree.Option.model_validate({"value": "x", "label": " ", "next": "Not-an-id", "y": 1})
    assert sorted(e["type"] for e in info.value.errors()) == [
        "extra_forbidden",
        "string_pattern_mismatch",
        "string_too_short",
    ]
    with pytest.raises(ValidationError):
        tree.Law.model_validate({"basis": ["Not.A.Citation"]})
