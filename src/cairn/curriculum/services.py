"""Everything that writes curriculum data. Each public function is one transaction.

Imports read the whole file first (cairn.curriculum.importers), check every record against the database
(references, the prerequisite DAG), and only then write, inside one transaction: any problem refuses the
whole import and changes nothing. Records are matched by their identifiers, so importing the same file
again updates in place and creates nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cairn.accounts.models import Role, Section, User
from cairn.curriculum import access, vetting
from cairn.curriculum.importers import ImportFailed, ImportReport, Problem
from cairn.curriculum.importers.case import CHILD_OF, PRECEDES, CasePackage, grade_number, read_case_file
from cairn.curriculum.importers.csv_files import (
    derived_identifier,
    read_competencies_csv,
    read_content_csv,
)
from cairn.curriculum.importers.qti import read_qti_path
from cairn.curriculum.linkcheck import LinkResult
from cairn.curriculum.models import (
    Competency,
    CompetencyLink,
    Content,
    ContentNotice,
    Framework,
    Item,
    ItemReview,
    LinkCheck,
    Prerequisite,
    Review,
    Scope,
    SectionContent,
    Status,
)
from cairn.curriculum.readability import reading_level
from cairn.curriculum.sanitize import clean_html
from cairn.engine import graph
from cairn.engine import items as engine_items

T = TypeVar("T")
Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]


def _quiet(iterable: Iterable[T], _description: str, _total: int) -> Iterable[T]:
    return iterable


def _refuse_if(problems: list[Problem]) -> None:
    if problems:
        raise ImportFailed(problems)


# ----------------------------------------------------------------------------------------- prerequisites


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


def add_prerequisite(prerequisite: Competency, competency: Competency) -> Prerequisite:
    """Add one edge, refusing one that would make a cycle (the error names it)."""
    with transaction.atomic():
        stored = list(Prerequisite.objects.values_list("prerequisite__identifier", "competency__identifier"))
        cycle = graph.cycle_if_added(stored, (prerequisite.identifier, competency.identifier))
        if cycle is not None:
            codes = dict(Competency.objects.filter(identifier__in=cycle).values_list("identifier", "code"))
            raise ValidationError("prerequisite cycle: " + " → ".join(codes.get(n) or n for n in cycle))
        edge, _ = Prerequisite.objects.get_or_create(prerequisite=prerequisite, competency=competency)
        return edge


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


def import_case(path: Path, *, progress: Progress | None = None) -> ImportReport:
    package, problems = read_case_file(path)
    _refuse_if(problems)
    assert package is not None
    return import_case_package(package, path.name, source=str(path.name), progress=progress)


@transaction.atomic
def import_case_package(
    package: CasePackage, file: str, *, source: str = "", progress: Progress | None = None
) -> ImportReport:
    step = progress or _quiet
    report = ImportReport()
    doc = package.document
    in_package = {item.identifier: item for item in package.items}
    names = {item.identifier: item.code or item.identifier for item in package.items}
    existing_ids = set(
        Competency.objects.filter(
            identifier__in={a.origin_id for a in package.associations}
            | {a.destination_id for a in package.associations}
        ).values_list("identifier", flat=True)
    )
    problems: list[Problem] = []
    other_framework = (
        Competency.objects.filter(identifier__in=in_package)
        .exclude(framework__identifier=doc.identifier)
        .first()
    )
    if other_framework is not None:
        problems.append(
            Problem(
                file, "CFItems", f"item {other_framework.identifier} belongs to another framework already"
            )
        )
    edges: list[tuple[str, str]] = []
    for a in package.associations:
        known = in_package.keys() | existing_ids
        if a.association_type in (CHILD_OF, PRECEDES):
            if a.origin_id not in known:
                problems.append(Problem(file, f"{a.path}.originNodeURI", f"unknown item {a.origin_id}"))
            dest_ok = a.destination_id in known or (
                a.association_type == CHILD_OF and a.destination_id == doc.identifier
            )
            if not dest_ok:
                problems.append(
                    Problem(file, f"{a.path}.destinationNodeURI", f"unknown item {a.destination_id}")
                )
            if a.association_type == PRECEDES and a.origin_id == a.destination_id:
                problems.append(
                    Problem(file, a.path, f"{names.get(a.origin_id, a.origin_id)} cannot precede itself")
                )
        if a.association_type == PRECEDES:
            edges.append((a.origin_id, a.destination_id))
    _refuse_if(problems)
    _check_graph(edges, names, file, "CFAssociations")

    framework, created = Framework.objects.update_or_create(
        identifier=doc.identifier,
        defaults={
            "uri": doc.uri,
            "title": doc.title[:300],
            "creator": doc.creator[:200],
            "publisher": doc.publisher[:200],
            "subject": doc.subject[:100],
            "version": doc.version[:50],
            "adoption_status": doc.adoption_status[:50],
            "licence": doc.licence[:300],
            "source": source[:300],
        },
    )
    report.count("frameworks", created)
    by_id: dict[str, Competency] = {}
    for item in step(package.items, "competencies", len(package.items)):
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
    missing = {a.origin_id for a in package.associations} | {a.destination_id for a in package.associations}
    by_id.update({c.identifier: c for c in Competency.objects.filter(identifier__in=missing - by_id.keys())})

    for a in step(package.associations, "associations", len(package.associations)):
        if a.association_type == CHILD_OF:
            child = by_id[a.origin_id]
            parent = by_id.get(a.destination_id)  # None: a child of the document itself
            if child.parent_id != (parent.pk if parent else None) or (
                a.sequence and child.list_order != a.sequence
            ):
                child.parent = parent
                child.list_order = a.sequence or child.list_order
                child.save(update_fields=["parent", "list_order"])
        elif a.association_type == PRECEDES:
            _, created = Prerequisite.objects.update_or_create(
                prerequisite=by_id[a.origin_id],
                competency=by_id[a.destination_id],
                defaults={"identifier": a.identifier},
            )
            report.count("prerequisites", created)
        else:
            _, created = CompetencyLink.objects.update_or_create(
                identifier=a.identifier,
                defaults={
                    "framework": framework,
                    "association_type": a.association_type[:60],
                    "origin": by_id.get(a.origin_id),
                    "origin_uri": a.origin_uri[:500],
                    "destination": by_id.get(a.destination_id),
                    "destination_uri": a.destination_uri[:500],
                    "destination_title": a.destination_title[:300],
                },
            )
            report.count("links", created)
    _set_domains(framework)
    return report


# ----------------------------------------------------------------------------------------- competencies CSV


@transaction.atomic
def import_competencies_csv(path: Path, *, progress: Progress | None = None) -> ImportReport:
    step = progress or _quiet
    rows, problems = read_competencies_csv(path)
    report = ImportReport()
    by_code = {(r.framework, r.code): r for r in rows}
    stored = {
        (c.framework.title, c.code): c.identifier for c in Competency.objects.select_related("framework")
    }

    def resolve(framework: str, code: str) -> str | None:
        if (framework, code) in by_code:
            return by_code[(framework, code)].identifier
        return stored.get((framework, code))

    edges: list[tuple[str, str]] = []
    for r in rows:
        if r.parent and resolve(r.framework, r.parent) is None:
            problems.append(Problem(path.name, f"row {r.row}, field parent", f"unknown code {r.parent!r}"))
        for code in r.prerequisites:
            found = resolve(r.framework, code)
            if found is None:
                problems.append(
                    Problem(path.name, f"row {r.row}, field prerequisites", f"unknown code {code!r}")
                )
            elif found == r.identifier:
                problems.append(
                    Problem(path.name, f"row {r.row}, field prerequisites", f"{code} cannot precede itself")
                )
            else:
                edges.append((found, r.identifier))
    _refuse_if(problems)
    _check_graph(edges, {r.identifier: r.code for r in rows}, path.name, "prerequisites")

    frameworks: dict[str, Framework] = {}
    for title in dict.fromkeys(r.framework for r in rows):
        fw, created = Framework.objects.get_or_create(
            identifier=derived_identifier(title), defaults={"title": title[:300], "source": path.name}
        )
        frameworks[title] = fw
        report.count("frameworks", created)
    comps: dict[str, Competency] = {}
    for order, r in enumerate(step(rows, "competencies", len(rows))):
        grades = (
            list(range(r.grade_low, (r.grade_high or r.grade_low) + 1)) if r.grade_low is not None else []
        )
        comp, created = Competency.objects.update_or_create(
            identifier=r.identifier,
            defaults={
                "framework": frameworks[r.framework],
                "code": r.code[:60],
                "statement": r.statement,
                "item_type": r.item_type[:60],
                "domain": r.domain[:200],
                "grades": ["KG" if g == 0 else f"{g:02d}" for g in grades],
                "grade_low": r.grade_low,
                "grade_high": r.grade_high,
                "list_order": order,
            },
        )
        comps[r.identifier] = comp
        report.count("competencies", created)
    lookup = {
        **{c.identifier: c for c in Competency.objects.filter(identifier__in={e[0] for e in edges})},
        **comps,
    }
    for r in rows:
        if r.parent:
            parent_id = resolve(r.framework, r.parent)
            parent = lookup.get(parent_id or "") or Competency.objects.get(identifier=parent_id)
            if comps[r.identifier].parent_id != parent.pk:
                comps[r.identifier].parent = parent
                comps[r.identifier].save(update_fields=["parent"])
    for before, after in edges:
        _, created = Prerequisite.objects.get_or_create(prerequisite=lookup[before], competency=lookup[after])
        report.count("prerequisites", created)
    return report


# ----------------------------------------------------------------------------------------- content


def _competencies_for(
    refs: Sequence[str], file: str, where: str, problems: list[Problem]
) -> list[Competency]:
    found = []
    for ref in refs:
        matches = list(Competency.objects.filter(Q(identifier=ref) | Q(code=ref))[:2])
        if not matches:
            problems.append(Problem(file, where, f"unknown competency {ref!r}"))
        elif len(matches) > 1:
            problems.append(Problem(file, where, f"{ref!r} is ambiguous; use the identifier"))
        else:
            found.append(matches[0])
    return found


@transaction.atomic
def import_content_csv(
    path: Path, *, owner: User | None = None, approve: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import a library list. New content enters review (or is approved, for a trusted import)."""
    step = progress or _quiet
    rows, problems = read_content_csv(path)
    aligned = {
        r.identifier: _competencies_for(
            r.competencies, path.name, f"row {r.row}, field competencies", problems
        )
        for r in rows
    }
    _refuse_if(problems)
    report = ImportReport()
    for r in step(rows, "content", len(rows)):
        body = clean_html(r.body)
        defaults: dict[str, Any] = {
            "title": r.title[:300],
            "kind": r.kind,
            "url": r.url,
            "body": body,
            "grade_low": r.grade_low,
            "grade_high": r.grade_high,
            "estimated_minutes": r.minutes,
            "language": r.language[:20],
            "licence": r.licence[:200],
            "cost": r.cost,
            "source": r.source[:300] or path.name,
            "captions": r.captions,
            "transcript": r.transcript,
            "alt_text": r.alt_text,
            "read_aloud": r.read_aloud,
            "reading_level": reading_level(body, r.language),
            "scope": Scope.LIBRARY,
        }
        content = Content.objects.filter(identifier=r.identifier).first()
        if content is None:
            content = Content.objects.create(
                identifier=r.identifier,
                owner=owner,
                status=Status.APPROVED if approve else Status.IN_REVIEW,
                link_status=Content.LinkStatus.UNCHECKED if r.url else "",
                **defaults,
            )
            report.count("content", True)
        else:
            if content.url != r.url:
                defaults["link_status"] = Content.LinkStatus.UNCHECKED if r.url else ""
            for key, value in defaults.items():
                setattr(content, key, value)
            content.save()
            report.count("content", False)
        content.competencies.set(aligned[r.identifier])
    return report


@dataclass
class ContentInput:
    """What an author types into the content form or sends to the API."""

    title: str
    kind: str
    body: str = ""
    url: str = ""
    competency_ids: Sequence[int] = ()
    grade_low: int | None = None
    grade_high: int | None = None
    estimated_minutes: int | None = None
    language: str = "en"
    captions: bool = False
    transcript: bool = False
    alt_text: bool = False
    read_aloud: bool = False
    licence: str = ""
    cost: str = Content.Cost.FREE
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def create_content(author: User, data: ContentInput) -> Content:
    """A teacher's own content: a draft for their own sections until they share it with the library."""
    if not access.can_author(author):
        raise PermissionDenied("Only teachers and administrators add content.")
    if data.kind not in Content.Kind.values:
        raise ValidationError({"kind": f"unknown kind {data.kind!r}"})
    if not data.body.strip() and not data.url.strip():
        raise ValidationError({"url": "Give a link or write the activity."})
    _check_grades(data.grade_low, data.grade_high)
    aligned = _known_competencies(data.competency_ids)
    body = clean_html(data.body)
    content = Content(
        identifier=f"user:{author.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        title=data.title.strip(),
        kind=data.kind,
        body=body,
        url=data.url.strip(),
        grade_low=data.grade_low,
        grade_high=data.grade_high if data.grade_high is not None else data.grade_low,
        estimated_minutes=data.estimated_minutes,
        language=data.language or "en",
        captions=data.captions,
        transcript=data.transcript,
        alt_text=data.alt_text,
        read_aloud=data.read_aloud,
        licence=data.licence,
        cost=data.cost,
        source=data.source or author.display_name,
        owner=author,
        scope=Scope.SECTIONS if Role.TEACHER in access.roles_of(author) else Scope.LIBRARY,
        status=Status.DRAFT,
        reading_level=reading_level(body, data.language or "en"),
        link_status=Content.LinkStatus.UNCHECKED if data.url.strip() else "",
    )
    content.full_clean()
    content.save()
    content.competencies.set(aligned)
    return content


def _check_grades(low: int | None, high: int | None) -> None:
    for name, grade in (("grade_low", low), ("grade_high", high)):
        if grade is not None and not 0 <= grade <= 12:
            raise ValidationError({name: f"grade {grade} is outside K–12 (0–12)"})
    if low is not None and high is not None and high < low:
        raise ValidationError({"grade_high": "the highest grade is below the lowest"})


def _known_competencies(ids: Sequence[int]) -> list[Competency]:
    """The competencies asked for, refusing ids that don't exist rather than dropping them silently."""
    found = list(Competency.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {c.pk for c in found})
    if missing:
        raise ValidationError({"competency_ids": f"unknown competencies: {missing}"})
    return found


@transaction.atomic
def use_in_my_sections(author: User, content: Content) -> Content:
    """An author approves their own draft for their own sections only (the library still needs review)."""
    if content.owner_id != author.pk or content.scope != Scope.SECTIONS:
        raise PermissionDenied("Only the author may approve their own content for their own sections.")
    if content.status not in (Status.DRAFT, Status.APPROVED):
        raise ValidationError("This content is in library review.")
    Review.objects.create(content=content, reviewer=author, decision=Review.Decision.SECTIONS)
    content.status = Status.APPROVED
    content.save(update_fields=["status", "updated_at"])
    return content


@transaction.atomic
def submit_for_review(author: User, content: Content) -> Content:
    """Share beyond one's own sections: the content goes to the library's review queue."""
    if not access.can_edit_content(author, content):
        raise PermissionDenied("Only the author may submit this content.")
    if content.status == Status.RETIRED:
        raise ValidationError("Retired content cannot be submitted.")
    content.scope = Scope.LIBRARY
    content.status = Status.IN_REVIEW
    content.save(update_fields=["scope", "status", "updated_at"])
    return content


def _notify(content: Content, message: str) -> None:
    if content.owner_id is not None:
        ContentNotice.objects.create(recipient_id=content.owner_id, content=content, message=message[:500])


@transaction.atomic
def review_content(
    reviewer: User,
    content: Content,
    decision: str,
    answers: Mapping[str, Mapping[str, str]],
    comment: str = "",
) -> Review:
    """Record a review. Approving needs a reviewer who is not the author and the must-meet questions met."""
    if not access.can_review(reviewer):
        raise PermissionDenied("Approving content needs a reviewer role.")
    if content.owner_id == reviewer.pk:
        raise PermissionDenied("Nobody reviews their own content.")
    if content.status != Status.IN_REVIEW:
        raise ValidationError("Only content in review can be reviewed.")
    if decision not in (Review.Decision.APPROVE, Review.Decision.CHANGES, Review.Decision.REJECT):
        raise ValidationError({"decision": f"unknown decision {decision!r}"})
    clean_answers = {
        key: {
            "rating": str(answers.get(key, {}).get("rating", "")),
            "note": str(answers.get(key, {}).get("note", ""))[:1000],
        }
        for key in vetting.QUESTION_KEYS
    }
    if decision == Review.Decision.APPROVE and (problems := vetting.approval_problems(clean_answers)):
        raise ValidationError(problems)
    review = Review.objects.create(
        content=content, reviewer=reviewer, decision=decision, answers=clean_answers, comment=comment[:5000]
    )
    content.status = {
        Review.Decision.APPROVE: Status.APPROVED,
        Review.Decision.CHANGES: Status.DRAFT,
        Review.Decision.REJECT: Status.RETIRED,
    }[Review.Decision(decision)]
    content.save(update_fields=["status", "updated_at"])
    verdict = {"approve": "approved for the library", "changes": "sent back for changes", "reject": "retired"}
    _notify(
        content,
        f"“{content.title}” was {verdict[decision]} by {reviewer.display_name}."
        + (f" {comment[:300]}" if comment else ""),
    )
    return review


@transaction.atomic
def retire_content(user: User, content: Content) -> Content:
    if not (access.can_review(user) or access.can_edit_content(user, content)):
        raise PermissionDenied("Only its author or a reviewer may retire content.")
    content.status = Status.RETIRED
    content.save(update_fields=["status", "updated_at"])
    return content


@transaction.atomic
def choose_for_section(
    teacher: User, section: Section, content: Content, action: str, replacement: Content | None = None
) -> SectionContent:
    """Hide a piece of content in one section, or show another in its place."""
    if not access.taught_sections(teacher).filter(pk=section.pk).exists():
        raise PermissionDenied("Only the section's teacher may change what it sees.")
    if not access.can_view_content(teacher, content):
        raise PermissionDenied("No such content.")
    if action == SectionContent.Action.REPLACE:
        if replacement is None or replacement.pk == content.pk:
            raise ValidationError({"replacement": "Choose different content to show instead."})
        # Visible to the teacher: library content or their own. Another teacher's section-only content
        # must not reach this section's students through a replacement.
        if not access.can_view_content(teacher, replacement):
            raise ValidationError({"replacement": "No such content."})
        if replacement.status != Status.APPROVED:
            raise ValidationError({"replacement": "Only approved content can be shown to students."})
    elif action == SectionContent.Action.HIDE:
        replacement = None
    else:
        raise ValidationError({"action": f"unknown action {action!r}"})
    choice, _ = SectionContent.objects.update_or_create(
        section=section,
        content=content,
        defaults={"action": action, "replacement": replacement, "set_by": teacher},
    )
    return choice


@transaction.atomic
def clear_section_choice(teacher: User, section: Section, content: Content) -> None:
    if not access.taught_sections(teacher).filter(pk=section.pk).exists():
        raise PermissionDenied("Only the section's teacher may change what it sees.")
    SectionContent.objects.filter(section=section, content=content).delete()


def mark_notices_read(user: User) -> int:
    return ContentNotice.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# ----------------------------------------------------------------------------------------- items


@transaction.atomic
def create_item(
    author: User,
    *,
    stem: str,
    spec: Mapping[str, Any],
    competency_ids: Sequence[int] = (),
    hints: Sequence[str] = (),
    solution: Sequence[str] = (),
    title: str = "",
) -> Item:
    """A teacher's own question (multiple choice, numeric or short text), checked by the engine."""
    if not access.can_author(author):
        raise PermissionDenied("Only teachers and administrators add items.")
    stem_html = clean_html(stem)
    if not nh3.clean(stem_html, tags=set()).strip():
        raise ValidationError({"stem": "Write the question."})
    try:
        parsed = engine_items.spec_from_dict(spec)
    except engine_items.SpecError as exc:
        raise ValidationError({"spec": str(exc)}) from exc
    aligned = _known_competencies(competency_ids)
    item = Item.objects.create(
        identifier=f"user:{author.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        kind=parsed.kind,
        title=title[:300],
        stem=stem_html,
        spec=engine_items.spec_to_dict(parsed),
        hints=[clean_html(h) for h in hints],
        solution=[clean_html(s) for s in solution],
        owner=author,
        source=author.display_name,
        status=Status.DRAFT,
    )
    item.competencies.set(aligned)
    return item


@transaction.atomic
def submit_item_for_review(author: User, item: Item) -> Item:
    """A teacher's question reaches students only once a reviewer approves it."""
    if item.owner_id != author.pk and Role.PLATFORM_ADMIN not in access.roles_of(author):
        raise PermissionDenied("Only the author may submit this question.")
    if item.status != Status.DRAFT:
        raise ValidationError(f"Only a draft can be submitted; this question is {item.get_status_display()}.")
    item.status = Status.IN_REVIEW
    item.save(update_fields=["status"])
    return item


@transaction.atomic
def review_item(reviewer: User, item: Item, decision: str, comment: str = "") -> Item:
    """Approve a question for students, send it back to its author, or retire it, and keep the review.
    Needs a reviewer who is not the author."""
    if not access.can_review(reviewer):
        raise PermissionDenied("Approving questions needs a reviewer role.")
    if item.owner_id == reviewer.pk:
        raise PermissionDenied("Nobody reviews their own question.")
    if item.status != Status.IN_REVIEW:
        raise ValidationError("Only questions in review can be reviewed.")
    outcome = {
        Review.Decision.APPROVE: Status.APPROVED,
        Review.Decision.CHANGES: Status.DRAFT,
        Review.Decision.REJECT: Status.RETIRED,
    }
    if decision not in outcome:
        raise ValidationError({"decision": f"unknown decision {decision!r} (approve, changes, reject)"})
    item.status = outcome[Review.Decision(decision)]
    item.save(update_fields=["status"])
    ItemReview.objects.create(item=item, reviewer=reviewer, decision=decision, comment=comment.strip())
    return item


@transaction.atomic
def import_qti(
    path: Path,
    *,
    competencies: Sequence[str] = (),
    approve: bool = False,
    owner: User | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import QTI items; unsupported interactions are skipped and listed, by item, in the report."""
    step = progress or _quiet
    found, skipped, problems = read_qti_path(path)
    aligned = _competencies_for(competencies, path.name, "--competency", problems)
    for qti in found:
        try:
            engine_items.spec_from_dict(qti.spec)
        except engine_items.SpecError as exc:
            problems.append(Problem(qti.file, exc.path, exc.message))
    _refuse_if(problems)
    report = ImportReport(skipped=[str(s) for s in skipped])
    for qti in step(found, "items", len(found)):
        item, created = Item.objects.update_or_create(
            identifier=f"qti:{qti.identifier}",
            defaults={
                "kind": qti.kind,
                "title": qti.title[:300],
                "stem": clean_html(qti.stem_html),
                "spec": engine_items.spec_to_dict(engine_items.spec_from_dict(qti.spec)),
                "source": f"QTI {qti.version}: {qti.file}"[:300],
            },
        )
        if created:
            item.owner = owner
            item.status = Status.APPROVED if approve else Status.IN_REVIEW
            item.save(update_fields=["owner", "status"])
        if aligned:
            item.competencies.add(*aligned)
        report.count("items", created)
    return report


@transaction.atomic
def import_item_templates(
    templates: Sequence[Mapping[str, Any]],
    *,
    file: str,
    approve: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Parametric templates (cairn.engine.items format), aligned by the competency codes they list."""
    step = progress or _quiet
    problems: list[Problem] = []
    parsed = []
    for i, raw in enumerate(templates):
        try:
            template = engine_items.template_from_dict(raw)
            engine_items.instantiate(template, 0)
        except engine_items.SpecError as exc:
            problems.append(Problem(file, f"templates[{i}].{exc.path}", exc.message))
            continue
        aligned = _competencies_for(template.competencies, file, f"templates[{i}].competencies", problems)
        parsed.append((raw, template, aligned))
    _refuse_if(problems)
    report = ImportReport()
    known = {
        identifier: (data, count)
        for identifier, data, count in Item.objects.filter(
            identifier__in=[f"template:{t.id}" for _, t, _ in parsed]
        ).values_list("identifier", "template", "variant_count")
    }
    for raw, template, aligned in step(parsed, "item templates", len(parsed)):
        # Counting variants enumerates every parameter combination: only redo it when the template changed.
        previous = known.get(f"template:{template.id}")
        count = previous[1] if previous and previous[0] == dict(raw) else engine_items.variant_count(template)
        item, created = Item.objects.update_or_create(
            identifier=f"template:{template.id}",
            defaults={
                "kind": Item.Kind.TEMPLATE,
                "title": str(raw.get("title", template.id))[:300],
                "stem": template.stem,
                "template": dict(raw),
                "hints": list(template.hints),
                "solution": list(template.solution),
                "irt_b": template.difficulty,
                "variant_count": count,
                "source": file,
                "status": Status.APPROVED if approve else Status.IN_REVIEW,
            },
        )
        item.competencies.set(aligned)
        report.count("item templates", created)
    return report


# ----------------------------------------------------------------------------------------- link health


@transaction.atomic
def record_link_check(content: Content, result: LinkResult) -> LinkCheck:
    """Keep the check, flag the content, and tell its owner when a working link breaks."""
    check = LinkCheck.objects.create(
        content=content,
        url=content.url,
        final_url=result.final_url[:1000],
        status_code=result.status,
        ok=result.ok,
        error=result.error[:300],
        elapsed_ms=result.elapsed_ms,
    )
    was = content.link_status
    content.link_status = Content.LinkStatus.OK if result.ok else Content.LinkStatus.BROKEN
    content.link_checked_at = timezone.now()
    content.save(update_fields=["link_status", "link_checked_at"])
    if not result.ok and was != Content.LinkStatus.BROKEN:
        reason = f"HTTP {result.status}" if result.status else result.error
        _notify(content, f"The link of “{content.title}” is broken ({reason}): {content.url}")
    return check


@transaction.atomic
def upsert_library_content(
    identifier: str, *, competencies: Iterable[Competency], status: str = Status.APPROVED, **fields: Any
) -> tuple[Content, bool]:
    """Create or update one library entry by its identifier (trusted loaders: the demo, fixtures)."""
    if "body" in fields:
        fields["body"] = clean_html(fields["body"])
    fields["reading_level"] = reading_level(fields.get("body", ""), fields.get("language", "en"))
    content = Content.objects.filter(identifier=identifier).first()
    created = content is None
    if content is None:
        content = Content(identifier=identifier, status=status, scope=Scope.LIBRARY)
        content.link_status = Content.LinkStatus.UNCHECKED if fields.get("url") else ""
    elif fields.get("url", content.url) != content.url:
        content.link_status = Content.LinkStatus.UNCHECKED if fields.get("url") else ""
    for key, value in fields.items():
        setattr(content, key, value)
    content.save()
    content.competencies.set(list(competencies))
    return content, created
