"""Standards: frameworks with their competencies, hierarchy, prerequisites and links, from a CASE package or
a competencies CSV, and single prerequisite edges.

An import first checks everything (references, items claimed by another framework, the prerequisite DAG,
with the edges already stored) and writes nothing if anything is wrong; then it writes entity by entity,
matched by identifier, so importing the same file again updates in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from django.db import transaction

from cairn.accounts.models import District
from cairn.core.errors import Invalid
from cairn.curriculum.importers import ImportFailed, ImportReport, Problem
from cairn.curriculum.importers.case import (
    CHILD_OF,
    PRECEDES,
    CaseAssociation,
    CaseDocument,
    CaseItem,
    CasePackage,
    fetch_case_package,
    grade_number,
    read_case_file,
)
from cairn.curriculum.importers.csv_files import CompetencyRow, derived_identifier, read_competencies_csv
from cairn.curriculum.models import Competency, CompetencyLink, Framework, Prerequisite
from cairn.curriculum.services import crosswalks
from cairn.curriculum.services.imports import Progress, quiet, refuse_if
from cairn.engine import graph

# ----------------------------------------------------------------------------------------- prerequisites


def add_prerequisite(prerequisite: Competency, competency: Competency) -> Prerequisite:
    """Add one edge, refusing one that would make a cycle (the error names it)."""
    with transaction.atomic():
        stored = list(Prerequisite.objects.values_list("prerequisite__identifier", "competency__identifier"))
        cycle = graph.cycle_if_added(stored, (prerequisite.identifier, competency.identifier))
        if cycle is not None:
            codes = dict(Competency.objects.filter(identifier__in=cycle).values_list("identifier", "code"))
            raise Invalid("prerequisite cycle: " + " → ".join(codes.get(n) or n for n in cycle))
        edge, _ = Prerequisite.objects.get_or_create(prerequisite=prerequisite, competency=competency)
        return edge


def _check_graph(
    new_edges: Iterable[tuple[str, str]], names: Mapping[str, str], file: str, where: str
) -> None:
    """Refuse edges that would close a cycle with each other or with those already stored.

    Edges are (prerequisite identifier, competency identifier); ``names`` maps identifiers to codes so the
    error names the cycle the way people know it."""
    stored = Prerequisite.objects.values_list("prerequisite__identifier", "competency__identifier")
    edges = {*stored, *new_edges}
    nodes = {n for edge in edges for n in edge}
    cycle = graph.find_cycle(nodes, edges)
    if cycle is not None:
        known = dict(Competency.objects.filter(identifier__in=cycle).values_list("identifier", "code"))
        named = graph.canonical_cycle([names.get(n) or known.get(n) or n for n in cycle])
        raise ImportFailed([Problem(file, where, "prerequisite cycle: " + " → ".join(named))])


def _set_domains(framework: Framework) -> None:
    """Each competency's domain is the statement of its nearest ancestor of type Domain (if it has none
    of its own)."""
    competencies = {c.pk: c for c in framework.competencies.all()}
    for comp in competencies.values():
        if comp.domain:
            continue
        node, seen = comp, set()
        while node.parent_id and node.parent_id in competencies and node.pk not in seen:
            seen.add(node.pk)
            node = competencies[node.parent_id]
            if node.item_type.lower() == "domain":
                comp.domain = node.statement[:200]
                comp.save(update_fields=["domain"])
                break


# ----------------------------------------------------------------------------------------- CASE


def import_case(
    path: Path | str, *, district: District | None = None, progress: Progress | None = None
) -> ImportReport:
    """Import a CASE package from a file, or from a provider's URL (given as text): a public framework, or
    ``district``'s own."""
    if isinstance(path, str):
        package, problems = fetch_case_package(path)
        name = path
    else:
        package, problems = read_case_file(path)
        name = path.name
    refuse_if(problems)
    assert package is not None
    return import_case_package(package, name, source=name, district=district, progress=progress)


@transaction.atomic
def import_case_package(
    package: CasePackage,
    file: str,
    *,
    source: str = "",
    district: District | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the whole package, then write it: framework, competencies, hierarchy, prerequisites, links.

    Standards as published point at other documents: an association with an end outside the package (any
    type, ``isChildOf`` and ``precedes`` included) is kept as a crosswalk link with the outside node's
    identifier and URI, resolved now if that node is stored and later when its framework is imported
    (``crosswalks.resolve_pending``). An outside ``isChildOf`` does not make a hierarchy across documents
    (a framework's tree must be whole in itself, and the outside node may never be imported), and an
    outside ``precedes`` does not become a prerequisite even once resolved: a prerequisite changes what
    students are released, and importing one framework must not silently change another's paths (a
    curriculum lead can add the edge by hand)."""
    _check_case_package(package, file)
    step = progress or quiet
    report = ImportReport()
    framework = _write_case_framework(package.document, source, report, district)
    by_id = _write_case_competencies(
        step(package.items, "competencies", len(package.items)), framework, report
    )
    inside = _inside_ids(package)
    associations = package.associations
    ends = {a.origin_id for a in associations} | {a.destination_id for a in associations}
    by_id.update({c.identifier: c for c in Competency.objects.filter(identifier__in=ends - by_id.keys())})
    structural = [a for a in associations if _is_structural(a, inside, package.document.identifier)]
    children = [a for a in structural if a.association_type == CHILD_OF]
    precedes = [a for a in structural if a.association_type == PRECEDES]
    structural_ids = {a.identifier for a in structural}
    links = [a for a in associations if a.identifier not in structural_ids]
    _write_case_hierarchy(step(children, "hierarchy", len(children)), by_id)
    _write_case_prerequisites(step(precedes, "prerequisites", len(precedes)), by_id, report)
    _write_case_links(step(links, "links", len(links)), framework, by_id, report)
    crosswalks.resolve_pending(by_id.values())
    _set_domains(framework)
    return report


def _inside_ids(package: CasePackage) -> set[str]:
    """The package's items and the competencies its framework already holds (a package re-published in
    parts)."""
    stored = Competency.objects.filter(framework__identifier=package.document.identifier)
    return {item.identifier for item in package.items} | set(stored.values_list("identifier", flat=True))


def _is_structural(a: CaseAssociation, inside: set[str], document: str) -> bool:
    """An isChildOf or precedes with both ends in this framework (an item may be a child of the document)."""
    if a.association_type == CHILD_OF:
        return a.origin_id in inside and (a.destination_id in inside or a.destination_id == document)
    return a.association_type == PRECEDES and a.origin_id in inside and a.destination_id in inside


def _check_case_package(package: CasePackage, file: str) -> None:
    """Every problem at once (no writes): items another framework owns, a competency preceding itself;
    then the prerequisite DAG of the package's own precedes."""
    in_package = {item.identifier: item for item in package.items}
    names = {item.identifier: item.code or item.identifier for item in package.items}
    problems: list[Problem] = []
    other_framework = (
        Competency.objects.filter(identifier__in=in_package)
        .exclude(framework__identifier=package.document.identifier)
        .first()
    )
    if other_framework is not None:
        problems.append(
            Problem(
                file, "CFItems", f"item {other_framework.identifier} belongs to another framework already"
            )
        )
    for a in package.associations:
        if a.association_type == PRECEDES and a.origin_id == a.destination_id:
            name = names.get(a.origin_id, a.origin_id)
            problems.append(Problem(file, a.path, f"{name} cannot precede itself"))
    refuse_if(problems)
    inside, document = _inside_ids(package), package.document.identifier
    edges = [
        (a.origin_id, a.destination_id)
        for a in package.associations
        if a.association_type == PRECEDES and _is_structural(a, inside, document)
    ]
    _check_graph(edges, names, file, "CFAssociations")


def _write_case_framework(
    doc: CaseDocument, source: str, report: ImportReport, district: District | None = None
) -> Framework:
    """The framework, written; a new one belongs to ``district`` (None: public); an import never changes
    who owns one already there."""
    fields = {
        "uri": doc.uri,
        "title": doc.title[:300],
        "creator": doc.creator[:200],
        "publisher": doc.publisher[:200],
        "subject": doc.subject[:100],
        "version": doc.version[:50],
        "adoption_status": doc.adoption_status[:50],
        "licence": doc.licence[:300],
        "source": source[:300],
    }
    framework, created = Framework.objects.update_or_create(
        identifier=doc.identifier, defaults=fields, create_defaults={**fields, "district": district}
    )
    report.count("frameworks", created)
    return framework


def _write_case_competencies(
    items: Iterable[CaseItem], framework: Framework, report: ImportReport
) -> dict[str, Competency]:
    by_id: dict[str, Competency] = {}
    for item in items:
        grades = [g for g in (grade_number(level) for level in item.education_level) if g is not None]
        comp, created = Competency.objects.update_or_create(
            identifier=item.identifier,
            defaults={
                "framework": framework,
                "uri": item.uri,
                "code": item.code[:60],
                "statement": item.statement,
                "item_type": item.item_type[:60],
                "grades": list(item.education_level),
                "grade_low": min(grades) if grades else None,
                "grade_high": max(grades) if grades else None,
                "list_order": item.list_enumeration,
            },
        )
        by_id[item.identifier] = comp
        report.count("competencies", created)
    return by_id


def _write_case_hierarchy(children: Iterable[CaseAssociation], by_id: Mapping[str, Competency]) -> None:
    """Each isChildOf sets the child's parent (none: a child of the document) and its place among siblings."""
    for a in children:
        child = by_id[a.origin_id]
        parent = by_id.get(a.destination_id)
        if child.parent_id != (parent.pk if parent else None) or (
            a.sequence and child.list_order != a.sequence
        ):
            child.parent = parent
            child.list_order = a.sequence or child.list_order
            child.save(update_fields=["parent", "list_order"])


def _write_case_prerequisites(
    precedes: Iterable[CaseAssociation], by_id: Mapping[str, Competency], report: ImportReport
) -> None:
    for a in precedes:
        _, created = Prerequisite.objects.update_or_create(
            prerequisite=by_id[a.origin_id],
            competency=by_id[a.destination_id],
            defaults={"identifier": a.identifier},
        )
        report.count("prerequisites", created)


def _write_case_links(
    links: Iterable[CaseAssociation],
    framework: Framework,
    by_id: Mapping[str, Competency],
    report: ImportReport,
) -> None:
    """Every other association (exactMatchOf, isRelatedTo, ...) and every one reaching outside the package
    is kept as a link, its ends resolved where they are competencies Cairn knows. Written in bulk: a
    published package holds thousands (Smarter Balanced's math: 3,368 associations)."""
    wanted = {a.identifier: a for a in links}  # an identifier given twice: the last one wins
    existing = CompetencyLink.objects.in_bulk(list(wanted), field_name="identifier")
    new, changed = [], []
    for identifier, a in wanted.items():
        values = {
            "framework": framework,
            "association_type": a.association_type[:60],
            "origin": by_id.get(a.origin_id),
            "origin_identifier": a.origin_id[:64],
            "origin_uri": a.origin_uri[:500],
            "destination": by_id.get(a.destination_id),
            "destination_identifier": a.destination_id[:64],
            "destination_uri": a.destination_uri[:500],
            "destination_title": a.destination_title[:300],
        }
        link = existing.get(identifier)
        if link is None:
            new.append(CompetencyLink(identifier=identifier, **values))
        elif _differs(link, values):  # bulk_update is slow: only the links that changed
            for name, value in values.items():
                setattr(link, name, value)
            changed.append(link)
        report.count("links", link is None)
    CompetencyLink.objects.bulk_create(new, batch_size=500)
    CompetencyLink.objects.bulk_update(changed, list(LINK_FIELDS), batch_size=500)


def _differs(link: CompetencyLink, values: Mapping[str, object]) -> bool:
    for name, value in values.items():
        if isinstance(value, Framework | Competency) or (value is None and name in ("origin", "destination")):
            if getattr(link, f"{name}_id") != (value.pk if value is not None else None):
                return True
        elif getattr(link, name) != value:
            return True
    return False


LINK_FIELDS = (
    "framework",
    "association_type",
    "origin",
    "origin_identifier",
    "origin_uri",
    "destination",
    "destination_identifier",
    "destination_uri",
    "destination_title",
)


# ----------------------------------------------------------------------------------------- competencies CSV


@transaction.atomic
def import_competencies_csv(
    path: Path, *, district: District | None = None, progress: Progress | None = None
) -> ImportReport:
    """Check every row (parents and prerequisites known, the DAG kept), then write frameworks, competencies,
    parents and prerequisites."""
    step = progress or quiet
    rows, problems = read_competencies_csv(path)
    codes = {
        (c.framework.title, c.code): c.identifier for c in Competency.objects.select_related("framework")
    }
    codes.update({(r.framework, r.code): r.identifier for r in rows})  # the file's own rows come first
    edges = _csv_prerequisite_edges(rows, codes, path.name, problems)
    refuse_if(problems)
    _check_graph(edges, {r.identifier: r.code for r in rows}, path.name, "prerequisites")

    report = ImportReport()
    frameworks = _write_csv_frameworks(rows, path.name, report, district)
    comps = _write_csv_competencies(step(rows, "competencies", len(rows)), frameworks, report)
    lookup = {
        **{c.identifier: c for c in Competency.objects.filter(identifier__in={e[0] for e in edges})},
        **comps,
    }
    _write_csv_parents(rows, codes, comps, lookup)
    for before, after in edges:
        _, created = Prerequisite.objects.get_or_create(prerequisite=lookup[before], competency=lookup[after])
        report.count("prerequisites", created)
    return report


def _csv_prerequisite_edges(
    rows: Sequence[CompetencyRow], codes: Mapping[tuple[str, str], str], file: str, problems: list[Problem]
) -> list[tuple[str, str]]:
    """The (prerequisite, competency) identifier pairs the rows ask for; an unknown parent or prerequisite,
    or a competency preceding itself, is added to ``problems``."""
    edges: list[tuple[str, str]] = []
    for r in rows:
        if r.parent and (r.framework, r.parent) not in codes:
            problems.append(Problem(file, f"row {r.row}, field parent", f"unknown code {r.parent!r}"))
        for code in r.prerequisites:
            found = codes.get((r.framework, code))
            where = f"row {r.row}, field prerequisites"
            if found is None:
                problems.append(Problem(file, where, f"unknown code {code!r}"))
            elif found == r.identifier:
                problems.append(Problem(file, where, f"{code} cannot precede itself"))
            else:
                edges.append((found, r.identifier))
    return edges


def _write_csv_frameworks(
    rows: Sequence[CompetencyRow], file: str, report: ImportReport, district: District | None = None
) -> dict[str, Framework]:
    frameworks: dict[str, Framework] = {}
    for title in dict.fromkeys(r.framework for r in rows):
        fw, created = Framework.objects.get_or_create(
            identifier=derived_identifier(title),
            defaults={"title": title[:300], "source": file, "district": district},
        )
        frameworks[title] = fw
        report.count("frameworks", created)
    return frameworks


def _write_csv_competencies(
    rows: Iterable[CompetencyRow], frameworks: Mapping[str, Framework], report: ImportReport
) -> dict[str, Competency]:
    comps: dict[str, Competency] = {}
    for order, r in enumerate(rows):
        grades = (
            list(range(r.grade_low, (r.grade_high or r.grade_low) + 1)) if r.grade_low is not None else []
        )
        defaults = {
            "framework": frameworks[r.framework],
            "code": r.code[:60],
            "statement": r.statement,
            "item_type": r.item_type[:60],
            "domain": r.domain[:200],
            "grades": ["KG" if g == 0 else f"{g:02d}" for g in grades],
            "grade_low": r.grade_low,
            "grade_high": r.grade_high,
            "list_order": order,
        }
        if r.student_statement:  # an empty cell keeps what a teacher wrote
            defaults["student_statement"] = r.student_statement
        comp, created = Competency.objects.update_or_create(identifier=r.identifier, defaults=defaults)
        comps[r.identifier] = comp
        report.count("competencies", created)
    return comps


def _write_csv_parents(
    rows: Sequence[CompetencyRow],
    codes: Mapping[tuple[str, str], str],
    comps: Mapping[str, Competency],
    lookup: Mapping[str, Competency],
) -> None:
    for r in rows:
        if not r.parent:
            continue
        parent_id = codes[(r.framework, r.parent)]
        parent = lookup.get(parent_id) or Competency.objects.get(identifier=parent_id)
        if comps[r.identifier].parent_id != parent.pk:
            comps[r.identifier].parent = parent
            comps[r.identifier].save(update_fields=["parent"])
