"""A compiled tree's nodes, the vocabulary and the registry as plain slotted classes.

The pydantic models (`tree.py`, `facts.py`, `citations.py`) are the schema a tree author's
YAML is validated against (`tree check`, the first load of a tree). What a loaded tree holds
and a walk reads is these: the same attribute names and values, built once from a validated
model (`from_model`) or from the tree cache's JSON of one (`from_data`), so that the running
UI, from its start to a walk's outcome, never imports pydantic (about 11 MiB with its schema
machinery and the tree's models: the UI's memory goal, issue 17). pydantic is imported when a
decision result or record is built. `tests/unit/test_plain_nodes.py` holds every node of the
England tree, the vocabulary and the registry equal to the validated models' data, and the
field names equal to the models', so the two cannot drift apart.

Sequences are tuples (the nodes are frozen, as the models are); mappings are dicts, as in the
models. Identifiers (node ids, facts, values, citation ids) are interned: the England tree
repeats each many times.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from sharewise.domain import citations, facts, tree

_intern = sys.intern


class Decision(StrEnum):
    """What the practitioner is told to do; the five values are a public interface."""

    SHARE_URGENTLY = "share_urgently"
    SHARE = "share"
    DO_NOT_SHARE = "do_not_share"
    SEEK_ADVICE = "seek_advice"
    NO_PERSONAL_DATA = "no_personal_data"

    @property
    def shares(self) -> bool:
        return self in (Decision.SHARE, Decision.SHARE_URGENTLY)


# --- checking the cache's JSON ---------------------------------------------------------------
# A cache entry was written from a validated model and carries its own digest; these checks
# only make sure a damaged or foreign entry is a miss (TypeError), never a wrong node.
def _str(value: object) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _id(value: object) -> str:
    return _intern(_str(value))


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _strs(value: object, each: Callable[[object], str] = _str) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("expected a list")
    return tuple(each(v) for v in value)


def _str_map(value: object) -> dict[str, str]:
    if type(value) is not dict:
        raise TypeError("expected an object")
    return {_id(k): _id(v) for k, v in value.items()}


def _obj(value: object, names: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not names.issuperset(value):
        raise TypeError("expected an object with known keys")
    return value


def _dump(value: object) -> object:
    """A plain value as pydantic's `model_dump(mode="json")` gives the model's."""
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decision):
        return value.value
    dump = getattr(value, "dump", None)
    return dump() if dump is not None else value


class _Plain:
    """`dump`: the JSON object pydantic's `model_dump(mode="json")` gives for the model."""

    __slots__ = ()

    def dump(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


# --- the tree's nodes (tree.py's models) -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Option(_Plain):
    """One answer to a question (see `tree.Option`)."""

    value: str
    also: dict[str, str]
    label: str
    next: str

    def facts(self, primary: str) -> dict[str, str]:
        """Every fact this answer settles, given the question's own fact."""
        return {primary: self.value, **self.also}

    @classmethod
    def from_data(cls, data: object) -> Option:
        d = _obj(data, _OPTION)
        return cls(_id(d["value"]), _str_map(d.get("also", {})), _str(d["label"]), _id(d["next"]))


@dataclass(frozen=True, slots=True)
class Question(_Plain):
    """A question bound to one fact (see `tree.Question`)."""

    fact: str
    text: str
    help: str
    why: str
    options: tuple[Option, ...]
    otherwise: str | None = None

    def facts(self) -> list[str]:
        """The facts this question settles: its own, then any an option settles as well."""
        seen = {self.fact: None}
        for option in self.options:
            seen.update(dict.fromkeys(option.also))
        return list(seen)

    @classmethod
    def from_data(cls, data: object) -> Question:
        d = _obj(data, _QUESTION)
        otherwise = d.get("otherwise")
        options = d["options"]
        if type(options) is not list or not options:
            raise TypeError("a question needs options")
        return cls(
            _id(d["fact"]),
            _str(d["text"]),
            _str(d["help"]),
            _str(d["why"]),
            tuple(Option.from_data(o) for o in options),
            None if otherwise is None else _id(otherwise),
        )


class LawLike(Protocol):
    """An outcome's law, plain or the record's pydantic model: the six groups of ids."""

    @property
    def basis(self) -> Sequence[str]: ...
    @property
    def special_category(self) -> Sequence[str]: ...
    @property
    def criminal_offence(self) -> Sequence[str]: ...
    @property
    def confidentiality(self) -> Sequence[str]: ...
    @property
    def transparency(self) -> Sequence[str]: ...
    @property
    def supporting(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Law(_Plain):
    """The law an outcome relies on, by group (see `tree.Law`)."""

    basis: tuple[str, ...] = ()
    special_category: tuple[str, ...] = ()
    criminal_offence: tuple[str, ...] = ()
    confidentiality: tuple[str, ...] = ()
    transparency: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()

    GROUPS: ClassVar[tuple[str, ...]] = (
        "basis",
        "special_category",
        "criminal_offence",
        "confidentiality",
        "transparency",
        "supporting",
    )

    def all_ids(self) -> list[str]:
        """Every cited id once, in the order of the groups."""
        return all_ids(self)

    @classmethod
    def from_data(cls, data: object) -> Law:
        d = _obj(data, _LAW)
        return cls(*(_strs(d.get(g, []), _id) for g in cls.GROUPS))

    def model(self) -> tree.Law:
        """The pydantic model, for a result or record (imports pydantic)."""
        from sharewise.domain.tree import Law as LawModel

        return LawModel.model_validate(self.dump())


def all_ids(law: LawLike) -> list[str]:
    """Every cited id of `law` once, in the order of the groups."""
    seen: dict[str, None] = {}
    for group in Law.GROUPS:
        for cid in getattr(law, group):
            seen.setdefault(cid, None)
    return list(seen)


@dataclass(frozen=True, slots=True)
class Advice(_Plain):
    """For `seek_advice`: whom to ask and what to ask them."""

    whom: tuple[str, ...]
    ask: tuple[str, ...]

    @classmethod
    def from_data(cls, data: object) -> Advice:
        d = _obj(data, _ADVICE)
        return cls(_strs(d["whom"]), _strs(d["ask"]))


@dataclass(frozen=True, slots=True)
class Outcome(_Plain):
    """A leaf of the tree: the decision, in plain words, with the law behind it."""

    decision: Decision
    title: str
    summary: str
    actions: tuple[str, ...]
    law: Law = Law()
    advice: Advice | None = None

    @classmethod
    def from_data(cls, data: object) -> Outcome:
        d = _obj(data, _OUTCOME)
        advice = d.get("advice")
        return cls(
            Decision(d["decision"]),
            _str(d["title"]),
            _str(d["summary"]),
            _strs(d["actions"]),
            Law.from_data(d.get("law", {})),
            None if advice is None else Advice.from_data(advice),
        )


@dataclass(frozen=True, slots=True)
class Tree(_Plain):
    """A whole tree: metadata, the start node, questions and outcomes by id."""

    id: str
    title: str
    version: str
    jurisdiction: str
    law_as_at: dt.date
    description: str | None
    start: str
    questions: dict[str, Question]
    outcomes: dict[str, Outcome]

    @classmethod
    def from_data(
        cls, head: object, questions: dict[str, Question], outcomes: dict[str, Outcome]
    ) -> Tree:
        """From the tree's own fields (JSON) around nodes already built."""
        d = _obj(head, _TREE)
        if not questions or not outcomes:
            raise TypeError("a tree needs questions and outcomes")
        return cls(
            _str(d["id"]),
            _str(d["title"]),
            _str(d["version"]),
            _str(d["jurisdiction"]),
            dt.date.fromisoformat(_str(d["law_as_at"])),
            _opt_str(d.get("description")),
            _id(d["start"]),
            questions,
            outcomes,
        )

    @classmethod
    def from_model(cls, model: tree.TreeFile) -> Tree:
        """The plain form of a validated tree (once, when it has just been validated): read
        straight from the model's attributes (`tree check` pays this: about 5 ms for the
        England tree, where dumping each node to JSON and building from that took 35)."""
        questions = {
            qid: Question(
                q.fact,
                q.text,
                q.help,
                q.why,
                tuple(Option(o.value, dict(o.also), o.label, o.next) for o in q.options),
                q.otherwise,
            )
            for qid, q in model.questions.items()
        }
        outcomes = {
            oid: Outcome(
                o.decision,
                o.title,
                o.summary,
                tuple(o.actions),
                Law(*(tuple(getattr(o.law, g)) for g in Law.GROUPS)),
                None if o.advice is None else Advice(tuple(o.advice.whom), tuple(o.advice.ask)),
            )
            for oid, o in model.outcomes.items()
        }
        m = model
        return cls(
            m.id,
            m.title,
            m.version,
            m.jurisdiction,
            m.law_as_at,
            m.description,
            m.start,
            questions,
            outcomes,
        )


_OPTION = frozenset(("value", "also", "label", "next"))
_QUESTION = frozenset(("fact", "text", "help", "why", "options", "otherwise"))
_LAW = frozenset(Law.GROUPS)
_ADVICE = frozenset(("whom", "ask"))
_OUTCOME = frozenset(("decision", "title", "summary", "actions", "law", "advice"))
_TREE = frozenset(("id", "title", "version", "jurisdiction", "law_as_at", "description", "start"))


# --- the vocabulary (facts.py) and the registry (citations.py) --------------------------------
@dataclass(frozen=True, slots=True)
class Fact(_Plain):
    """One fact: the question in neutral words and its values with their meanings."""

    ask: str
    values: dict[str, str]
    scope: str = "case"
    default: str | None = None


_SCOPES = frozenset(("case", "organisation", "practitioner"))


class Vocabulary:
    """Every fact by name (see `facts.Vocabulary`): `vocabulary[name]`, `in`, `names()`."""

    __slots__ = ("root",)
    #: The pydantic model this is the plain form of, as the model cache names it.
    MODEL = "sharewise.domain.facts.Vocabulary"

    def __init__(self, root: dict[str, Fact]) -> None:
        self.root = root

    def __contains__(self, name: object) -> bool:
        return name in self.root

    def __getitem__(self, name: str) -> Fact:
        return self.root[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.root)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and other.root == self.root

    __hash__ = None  # type: ignore[assignment]

    def names(self) -> list[str]:
        return list(self.root)

    def defaults(self) -> dict[str, str]:
        """fact -> the answer a facts file that leaves it out is decided with (`Fact.default`:
        a fact added after the facts were written), for the facts that have one."""
        return {name: f.default for name, f in self.root.items() if f.default is not None}

    def dump(self) -> dict[str, Any]:
        return {name: fact.dump() for name, fact in self.root.items()}

    @classmethod
    def from_data(cls, data: object) -> Vocabulary:
        if type(data) is not dict or not data:
            raise TypeError("expected an object of facts")
        root: dict[str, Fact] = {}
        for name, value in data.items():
            d = _obj(value, _FACT)
            scope = _str(d.get("scope", "case"))
            values = _str_map(d["values"])
            default = _opt_str(d.get("default"))
            if (
                scope not in _SCOPES
                or not values
                or (default is not None and default not in values)
            ):
                raise TypeError(f"not a fact: {name!r}")
            root[_id(name)] = Fact(_str(d["ask"]), values, _intern(scope), default)
        return cls(root)

    @classmethod
    def from_model(cls, model: facts.Vocabulary) -> Vocabulary:
        return cls(
            {n: Fact(f.ask, dict(f.values), f.scope, f.default) for n, f in model.root.items()}
        )


_FACT = frozenset(("ask", "values", "scope", "default"))


@dataclass(frozen=True, slots=True)
class Citation(_Plain):
    """One provision: what it is called, what it means in plain words, where to read it."""

    title: str
    gist: str
    url: str
    checked: str


class CitationLike(Protocol):
    """A citation as the screens read it (plain, or the registry's pydantic model)."""

    @property
    def title(self) -> str: ...
    @property
    def gist(self) -> str: ...
    @property
    def url(self) -> str: ...


class Citations(Protocol):
    """A registry as its readers use it: the plain `Registry` or `citations.Registry`."""

    def __contains__(self, cid: object) -> bool: ...
    def get(self, cid: str) -> CitationLike | None: ...


_CHECKED = frozenset(("primary", "official", "secondary"))
_CITATION = frozenset(("title", "gist", "url", "checked"))


class Registry:
    """Every citation by id (see `citations.Registry`): `registry[cid]`, `get`, `in`."""

    __slots__ = ("root",)
    MODEL = "sharewise.domain.citations.Registry"

    def __init__(self, root: dict[str, Citation]) -> None:
        self.root = root

    def __contains__(self, cid: object) -> bool:
        return cid in self.root

    def __getitem__(self, cid: str) -> Citation:
        return self.root[cid]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Registry) and other.root == self.root

    __hash__ = None  # type: ignore[assignment]

    def get(self, cid: str) -> Citation | None:
        return self.root.get(cid)

    def dump(self) -> dict[str, Any]:
        return {cid: c.dump() for cid, c in self.root.items()}

    @classmethod
    def from_data(cls, data: object) -> Registry:
        if type(data) is not dict:
            raise TypeError("expected an object of citations")
        root: dict[str, Citation] = {}
        for cid, value in data.items():
            d = _obj(value, _CITATION)
            url, checked = _str(d["url"]), _str(d["checked"])
            if not url.startswith("https://") or checked not in _CHECKED:
                raise TypeError(f"not a citation: {cid!r}")
            root[_id(cid)] = Citation(_str(d["title"]), _str(d["gist"]), url, _intern(checked))
        return cls(root)

    @classmethod
    def from_model(cls, model: citations.Registry) -> Registry:
        return cls({i: Citation(c.title, c.gist, c.url, c.checked) for i, c in model.root.items()})
