"""Library imports: content lists from CSV, items from QTI, parametric item templates; and the plumbing
every import shares (progress reporting, refusing with every problem listed). Standards imports are in
``frameworks``.

Each import reads and checks everything first and writes only if nothing is wrong, in one transaction.
An import loads for one district (``district=``; None: the platform's own library): what it creates
belongs to that district, and it refuses to change an entry another district owns (see
cairn.curriculum.ownership).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction

from cairn.accounts.models import District, User
from cairn.curriculum.importers import ImportFailed, ImportReport, Problem
from cairn.curriculum.importers.csv_files import ContentRow, read_content_csv
from cairn.curriculum.importers.qti import read_qti_path
from cairn.curriculum.models import Competency, Content, Item, Scope, Status
from cairn.curriculum.readability import reading_level
from cairn.curriculum.sanitize import clean_html
from cairn.curriculum.services.alignment import competencies_for
from cairn.engine import items as engine_items

T = TypeVar("T")
Progress = Callable[[Iterable[Any], str, int], Iterable[Any]]


def quiet(iterable: Iterable[T], _description: str, _total: int) -> Iterable[T]:
    """The progress reporter of an import nobody watches."""
    return iterable


def refuse_if(problems: list[Problem]) -> None:
    if problems:
        raise ImportFailed(problems)


def owned_elsewhere(
    model: type[Content] | type[Item], identifiers: Iterable[str], district: District | None, file: str
) -> list[Problem]:
    """Entries the import would change that belong to another district (or to the platform, for a
    district's import): refused, an import never writes to what another district owns."""
    mine = district.pk if district is not None else None
    return [
        Problem(file, identifier, "belongs to another district's library; give it another identifier")
        for identifier, owner in model.objects.filter(identifier__in=list(identifiers)).values_list(
            "identifier", "district_id"
        )
        if owner != mine
    ]


# ----------------------------------------------------------------------------------------- content CSV


@transaction.atomic
def import_content_csv(
    path: Path,
    *,
    owner: User | None = None,
    approve: bool = False,
    district: District | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a library list for ``district``. New content enters review (or is approved, for a trusted
    import)."""
    step = progress or quiet
    rows, problems = read_content_csv(path)
    problems += owned_elsewhere(Content, (r.identifier for r in rows), district, path.name)
    aligned = {
        r.identifier: competencies_for(
            r.competencies, path.name, f"row {r.row}, field competencies", problems
        )
        for r in rows
    }
    refuse_if(problems)
    report = ImportReport()
    for r in step(rows, "content", len(rows)):
        content, created = _write_content_row(
            r, file=path.name, owner=owner, approve=approve, district=district
        )
        content.competencies.set(aligned[r.identifier])
        report.count("content", created)
    return report


def _write_content_row(
    r: ContentRow, *, file: str, owner: User | None, approve: bool, district: District | None
) -> tuple[Content, bool]:
    """Create the row's content (owned, in review or approved) or update it in place; a new URL is
    checked again."""
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
        "source": r.source[:300] or file,
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
            district=district,
            status=Status.APPROVED if approve else Status.IN_REVIEW,
            link_status=Content.LinkStatus.UNCHECKED if r.url else "",
            **defaults,
        )
        return content, True
    if content.url != r.url:
        defaults["link_status"] = Content.LinkStatus.UNCHECKED if r.url else ""
    for key, value in defaults.items():
        setattr(content, key, value)
    content.save()
    return content, False


# ----------------------------------------------------------------------------------------- items


@transaction.atomic
def import_qti(
    path: Path,
    *,
    competencies: Sequence[str] = (),
    approve: bool = False,
    owner: User | None = None,
    district: District | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import QTI items for ``district``; unsupported interactions are skipped and listed, by item, in the
    report."""
    step = progress or quiet
    found, skipped, problems = read_qti_path(path)
    problems += owned_elsewhere(Item, (f"qti:{q.identifier}" for q in found), district, path.name)
    aligned = competencies_for(competencies, path.name, "--competency", problems)
    for qti in found:
        try:
            engine_items.spec_from_dict(qti.spec)
        except engine_items.SpecError as exc:
            problems.append(Problem(qti.file, exc.path, exc.message))
    refuse_if(problems)
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
            item.district = district
            item.status = Status.APPROVED if approve else Status.IN_REVIEW
            item.save(update_fields=["owner", "district", "status"])
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
    district: District | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Parametric templates (cairn.engine.items format) for ``district``, aligned by the competency codes
    they list."""
    step = progress or quiet
    parsed = _parse_templates(templates, file)
    refuse_if(owned_elsewhere(Item, (f"template:{t.id}" for _, t, _ in parsed), district, file))
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
        fields: dict[str, Any] = {
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
        }
        item, created = Item.objects.update_or_create(
            identifier=f"template:{template.id}",
            defaults=fields,
            create_defaults={**fields, "district": district},
        )
        item.competencies.set(aligned)
        report.count("item templates", created)
    return report


def _parse_templates(
    templates: Sequence[Mapping[str, Any]], file: str
) -> list[tuple[Mapping[str, Any], engine_items.Template, list[Competency]]]:
    """Each template parsed, tried once and resolved to its competencies; any problem refuses them all."""
    problems: list[Problem] = []
    parsed = []
    for i, raw in enumerate(templates):
        try:
            template = engine_items.template_from_dict(raw)
            engine_items.instantiate(template, 0)
        except engine_items.SpecError as exc:
            problems.append(Problem(file, f"templates[{i}].{exc.path}", exc.message))
            continue
        aligned = competencies_for(template.competencies, file, f"templates[{i}].competencies", problems)
        parsed.append((raw, template, aligned))
    refuse_if(problems)
    return parsed
