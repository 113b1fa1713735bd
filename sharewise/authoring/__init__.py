"""The tree authors' builder: rules written as a plain function of the facts -> a tree file.

A jurisdiction's tree (England, and later Wales or Scotland) is written as *rules* (a
function `decide(f)` that asks facts through `f` in the order of the law and ends at an
outcome) plus *wording* (questions, pairs, outcomes). This package explores every answer,
merges identical subtrees, drops questions that cannot change the outcome, pairs questions
the law asks together, and writes the YAML that `tree check` proves. It knows no
jurisdiction: a new tree needs new rules and wording only, never a copy of this code.
See docs/tree.md ("Writing a tree with the builder").
"""

from sharewise.authoring.spec import Ask, F, Out, Pair, Stop, TreeSpec

__all__ = ["Ask", "F", "Out", "Pair", "Stop", "TreeSpec"]
