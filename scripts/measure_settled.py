"""Questions asked per path on the England tree, with the settled answers and without.

Every path from `tree.paths()` is walked with the domain's own `Walk(tree, preset=...)`,
answering each question the walk asks from that path's answers, and counting the questions
asked (settled ones are answered without asking). A path whose answer to a settled fact
differs from the settings cannot happen in that organisation, and the walk shows it: it
leaves the path. Those are counted apart, not dropped silently.

Run: python scripts/measure_settled.py
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sharewise import paths
from sharewise.domain.errors import InputError
from sharewise.domain.graph import CompiledTree, TreePath, load_tree
from sharewise.domain.walk import Walk

SETTINGS = {
    "a school (teacher)": {
        "sharer": "public_authority",
        "apd_in_place": "yes",
        "care_professional": "no",
    },
    "an NHS body (nurse)": {
        "sharer": "public_authority",
        "apd_in_place": "yes",
        "care_professional": "yes",
    },
}


def asked(tree: CompiledTree, path: TreePath, preset: dict[str, str]) -> int | None:
    """Questions the walk asks on `path` with these settings; None if it leaves the path.

    One answer may settle two facts (a paired question), so the walk answers from the
    path's facts and questions are counted per answer, not per fact.
    """
    answers = path.answers()
    walk = Walk(tree, preset=preset)
    while walk.question is not None:
        try:
            walk.answer_from(answers)
        except InputError:  # the settings took the walk off this path
            return None
    taken = [(s.node, s.fact, s.answer) for s in walk.steps()]
    if taken != [(s.node, s.fact, s.value) for s in path.steps]:
        return None
    return sum(1 for s in walk.trail() if not s.preset)


def describe(counts: list[int]) -> str:
    dist = ", ".join(f"{k}:{v}" for k, v in sorted(Counter(counts).items()))
    return (
        f"median {statistics.median(counts):g}, mean {statistics.mean(counts):.2f}, "
        f"fewest {min(counts)}, most {max(counts)}  [questions:paths {dist}]"
    )


def main() -> int:
    tree = load_tree(paths.default_tree_path())
    all_paths = list(tree.paths())
    print(f"{tree.model.title} {tree.model.version}: {len(all_paths)} paths")
    print(f"nothing settled, all paths: {describe([p.questions for p in all_paths])}")
    for name, preset in SETTINGS.items():
        results = [(p, asked(tree, p, preset)) for p in all_paths]
        kept = [(p, n) for p, n in results if n is not None]
        print(f"\n{name}: {preset}")
        print(
            f"  {len(kept)} paths possible with these settings ({len(all_paths) - len(kept)} not)"
        )
        print(f"  settled:        {describe([n for _, n in kept])}")
        print(f"  same, unsettled: {describe([p.questions for p, _ in kept])}")
        saved = [p.questions - n for p, n in kept]
        print(f"  questions saved per path: {dict(sorted(Counter(saved).items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
