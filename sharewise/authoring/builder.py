"""Rules -> tree: explore every answer, merge identical subtrees, prune, pair, name, render.

Why explore instead of writing the graph by hand: a jurisdiction's tree has one outcome per
legal route, well over a hundred, and hand-copying their texts invites exactly the drift a
legal tool cannot afford. The rules are run once per combination of answers that matters;
a question whose answers all lead to the same place is never asked, so a question is asked
only where it can change the outcome.
"""

from __future__ import annotations

from typing import Any

import yaml

from sharewise.authoring.spec import Ask, Out, Stop, TreeSpec

# ("out", Out) | ("q", fact, ((value, Node), ...), wording key)
# After `pair_up`: ("q", fact, ((value, also, Node), ...), wording key),
# with also = ((fact, value),).
Node = tuple[Any, ...]


class _Need(Exception):
    def __init__(self, fact: str, wording: str) -> None:
        super().__init__(fact)
        self.fact = fact
        self.wording = wording


def _split(key: str) -> tuple[str, str]:
    """`fact/variant` -> (fact, wording key); a plain fact is its own wording key."""
    fact = key.split("/", 1)[0]
    return fact, key


def run(spec: TreeSpec, assign: dict[str, str]) -> Out:
    """The outcome the rules reach with these answers; raises `_Need` for a missing fact."""

    def f(key: str) -> str:
        fact, wording = _split(key)
        if fact in assign:
            return assign[fact]
        raise _Need(fact, wording)

    try:
        return spec.decide(f)
    except Stop as stop:
        return stop.out


def explore(spec: TreeSpec, vocab: dict[str, Any]) -> Node:
    """Every combination of answers that matters, as a DAG of interned nodes."""
    memo: dict[Node, Node] = {}

    def intern(node: Node) -> Node:
        return memo.setdefault(node, node)

    def go(assign: dict[str, str]) -> Node:
        try:
            out = run(spec, assign)
        except _Need as need:
            values = list(vocab[need.fact]["values"])
            kids = tuple((v, go({**assign, need.fact: v})) for v in values)
            if len({k for _, k in kids}) == 1:
                return kids[0][1]  # No answer changes the outcome: do not ask.
            return intern(("q", need.fact, kids, need.wording))
        return intern(("out", out))

    return go({})


def pair_up(spec: TreeSpec, root: Node) -> Node:
    """Merge each question with a paired second question asked straight after it."""
    memo: dict[int, Node] = {}

    def go(node: Node) -> Node:
        if node[0] == "out":
            return node
        if id(node) not in memo:
            fact, kids, wording = node[1], node[2], node[3]
            opts: list[tuple[str, tuple[tuple[str, str], ...], Node]] = []
            for value, kid in kids:
                pair = spec.pairs.get((fact, kid[1])) if kid[0] == "q" else None
                if pair is not None and (not pair.only or value in pair.only):
                    opts += [(value, ((kid[1], v2),), go(k2)) for v2, k2 in kid[2]]
                else:
                    opts.append((value, (), go(kid)))
            memo[id(node)] = ("q", fact, tuple(opts), wording)
        return memo[id(node)]

    return go(root)


def _ask_for(spec: TreeSpec, node: Node) -> tuple[Ask, bool]:
    """The wording of a question node: its pair's if any answer settles two facts."""
    fact = node[1]
    for _value, also, _kid in node[2]:
        if also:
            return spec.pairs[(fact, also[0][0])].ask, True
    return spec.asks[node[3]], False


def _label_key(value: str, also: tuple[tuple[str, str], ...]) -> str:
    return "+".join([value, *(v for _f, v in also)])


DECISION_RANK = ("share_urgently", "share", "no_personal_data", "seek_advice", "do_not_share")


def build(spec: TreeSpec, vocab: dict[str, Any]) -> dict[str, Any]:
    """The tree as the mapping its YAML file holds."""
    root = pair_up(spec, explore(spec, vocab))
    # Name questions breadth-first so that ids read in walking order.
    names: dict[int, str] = {}
    used: dict[str, int] = {}
    outcomes: dict[str, Out] = {}
    order: list[Node] = []
    queue: list[tuple[Node, bool]] = [(root, False)]
    seen: set[int] = set()
    while queue:
        node, em = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node[0] == "out":
            out: Out = node[1]
            prev = outcomes.get(out.id)
            if prev is not None and prev != out:
                raise ValueError(f"two different outcomes named {out.id}")
            outcomes[out.id] = out
            continue
        fact = node[1]
        base = ("em_" if em else "") + _ask_for(spec, node)[0].short
        n = used.get(base, 0) + 1
        used[base] = n
        names[id(node)] = base if n == 1 else f"{base}_{n}"
        order.append(node)
        for value, _also, kid in node[2]:
            in_em = em or (spec.emergency is not None and (fact, value) == spec.emergency)
            queue.append((kid, in_em))

    def target(node: Node) -> str:
        return str(node[1].id) if node[0] == "out" else names[id(node)]

    questions: dict[str, Any] = {}
    for node in order:
        fact, kids = node[1], node[2]
        ask, paired = _ask_for(spec, node)
        options = []
        rest: list[str] = []
        for value, also, kid in kids:
            key = _label_key(value, also)
            if key in ask.labels:
                option: dict[str, Any] = {"value": value}
                if also:
                    option["also"] = dict(also)
                option.update(label=ask.labels[key], next=target(kid))
                options.append(option)
            elif paired and value in spec.asks[fact].labels:
                raise ValueError(f"{fact}: the pair has no label for {key!r}")
            else:
                rest.append(target(kid))
        q: dict[str, Any] = {
            "fact": fact,
            "text": ask.text,
            "help": ask.help,
            "why": ask.why,
            "options": options,
        }
        if rest:
            if len(set(rest)) != 1:
                raise ValueError(f"{names[id(node)]}: unlabelled values lead to different places")
            q["otherwise"] = rest[0]
        questions[names[id(node)]] = q

    ordered = dict(
        sorted(outcomes.items(), key=lambda kv: (DECISION_RANK.index(kv[1].decision), kv[0]))
    )
    return {
        "id": spec.id,
        "title": spec.title,
        "version": spec.version,
        "jurisdiction": spec.jurisdiction,
        "law_as_at": spec.law_as_at,
        "description": spec.description,
        "start": names[id(root)],
        "questions": questions,
        "outcomes": {oid: o.as_yaml() for oid, o in ordered.items()},
    }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(spec: TreeSpec, tree: dict[str, Any]) -> str:
    """The YAML text, with the spec's header comment (it says the file is generated)."""
    body = yaml.dump(
        tree,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return spec.header + body
