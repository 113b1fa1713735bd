"""Law that reads like law: titles from the registry, grouped under their regime's headings."""

from __future__ import annotations

from sharewise import paths
from sharewise.domain.citations import load_registry
from sharewise.domain.graph import load_tree
from sharewise.domain.tree import Law
from sharewise.domain.words import (
    LAW_GROUPS,
    PART3_LAWFUL,
    PART3_SENSITIVE,
    citation_title,
    law_sections,
)


def test_part3_law_is_read_under_its_own_headings() -> None:
    law = Law(basis=["dpa2018.s35"], special_category=["dpa2018.sch8.para4"], supporting=["x.y"])
    assert law_sections(law) == [
        (PART3_LAWFUL, ["dpa2018.s35"]),
        (PART3_SENSITIVE, ["dpa2018.sch8.para4"]),
        (LAW_GROUPS["supporting"], ["x.y"]),
    ]


def test_a_law_citing_both_regimes_keeps_them_apart() -> None:
    law = Law(
        basis=["ukgdpr.art6.1e", "dpa2018.s35"],
        special_category=["ukgdpr.art9.2g", "dpa2018.sch8.para1"],
    )
    got = dict(law_sections(law))
    assert got[LAW_GROUPS["basis"]] == ["ukgdpr.art6.1e"]
    assert got[PART3_LAWFUL] == ["dpa2018.s35"]
    assert got[LAW_GROUPS["special_category"]] == ["ukgdpr.art9.2g"]
    assert got[PART3_SENSITIVE] == ["dpa2018.sch8.para1"]


def test_every_part3_outcome_of_the_shipped_tree_reads_as_part3() -> None:
    tree = load_tree(paths.default_tree_path())
    part3 = [o for o in tree.model.outcomes.values() if "dpa2018.s35" in o.law.basis]
    assert part3, "the England tree has outcomes for competent authorities"
    for outcome in part3:
        headings = [h for h, _ in law_sections(outcome.law)]
        assert PART3_LAWFUL in headings
        if any(c.startswith("dpa2018.sch8.") for c in outcome.law.special_category):
            assert PART3_SENSITIVE in headings


def test_titles_come_from_the_registry_and_unknown_ids_stay_exact() -> None:
    registry = load_registry(paths.citations_path())
    assert citation_title("ukgdpr.art6.1e", registry) == registry["ukgdpr.art6.1e"].title
    assert citation_title("no.such.id", registry) == "no.such.id"
    assert citation_title("ukgdpr.art6.1e", None) == "ukgdpr.art6.1e"


def test_exports_show_titles_with_ids_under_regime_headings() -> None:
    from sharewise.store.export import law_lines

    registry = load_registry(paths.citations_path())
    lines = dict(law_lines(Law(basis=["dpa2018.s35"], special_category=["dpa2018.sch8.para4"])))
    assert lines[PART3_LAWFUL] == f"{registry['dpa2018.s35'].title} [dpa2018.s35]"
    assert "Article 6" not in " ".join(lines)
