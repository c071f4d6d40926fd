"""Reads shared by the library pages and the API. Callers pass who is asking; access rules apply here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from cairn.accounts.models import Section, User
from cairn.curriculum import access, ownership, vetting
from cairn.curriculum.graph_layout import Box, Geometry, Line, lay_out
from cairn.curriculum.models import (
    Adoption,
    Competency,
    CompetencyLink,
    Content,
    ContentNotice,
    Item,
    ItemReview,
    LinkCheck,
    Prerequisite,
    Review,
    SectionContent,
    Status,
)
from cairn.engine import graph
from cairn.engine import items as engine_items

ACCESSIBILITY_FLAGS = {"captions", "transcript", "alt_text", "read_aloud"}


@dataclass
class ContentFilters:
    q: str = ""
    standard: str = ""  # a code or a code prefix: "4.NF" finds every 4.NF standard
    grade: int | None = None
    kind: str = ""
    max_reading_level: float | None = None
    language: str = ""
    accessibility: list[str] = field(default_factory=list)
    status: str = ""
    link_status: str = ""
    mine: bool = False
    elsewhere: bool = False  # only other districts' shared, approved content (what may be adopted)


def search_content(user: User, filters: ContentFilters) -> QuerySet[Content]:
    found = access.visible_content(user)
    if filters.q:
        found = found.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    if filters.standard:
        code = filters.standard.strip()
        found = found.filter(
            Q(competencies__code__iexact=code) | Q(competencies__code__istartswith=code.rstrip(".") + ".")
        )
    if filters.grade is not None:
        found = found.filter(grade_low__lte=filters.grade, grade_high__gte=filters.grade)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.max_reading_level is not None:
        found = found.filter(reading_level__lte=filters.max_reading_level)
    if filters.language:
        found = found.filter(language__iexact=filters.language)
    for flag in filters.accessibility:
        if flag in ACCESSIBILITY_FLAGS:
            found = found.filter(**{flag: True})
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.link_status:
        found = found.filter(link_status=filters.link_status)
    if filters.mine:
        found = found.filter(owner=user)
    if filters.elsewhere:
        found = found.filter(ownership.shared_elsewhere(ownership.district_ids_of(user)))
    codes = Prefetch("competencies", queryset=Competency.objects.only("id", "code").order_by("code"))
    return (
        found.distinct().select_related("owner", "district").prefetch_related(codes).order_by("title", "pk")
    )


def review_queue(user: User) -> QuerySet[Content]:
    """Content waiting for review, oldest first, leaving out the reviewer's own."""
    if not access.can_review(user):
        return Content.objects.none()
    return (
        Content.objects.filter(access.review_scope(user), status=Status.IN_REVIEW)
        .exclude(owner=user)
        .select_related("owner")
        .prefetch_related("competencies")
        .order_by("updated_at", "pk")
    )


def unread_notices(user: User) -> QuerySet[ContentNotice]:
    return ContentNotice.objects.filter(recipient=user, read_at__isnull=True).select_related("content")


def languages() -> list[str]:
    return sorted(set(Content.objects.values_list("language", flat=True)))


def competencies_for_browsing(user: User | None = None) -> QuerySet[Competency]:
    """Competencies of the frameworks a person may use: public ones and their district's own (everything
    for a platform admin, or when no person is named: a trusted caller)."""
    found = Competency.objects.select_related("framework")
    if user is not None and not ownership.is_platform_admin(user):
        found = found.filter(
            Q(framework__district__isnull=True)
            | Q(framework__district_id__in=ownership.district_ids_of(user))
        )
    return found.order_by("framework__title", "list_order", "code")


def alignable_competencies(user: User) -> QuerySet[Competency]:
    """What an author may align content or a question to: standards (not headings) of frameworks they use."""
    headings = ("domain", "cluster", "grade level", "strand")
    return (
        competencies_for_browsing(user)
        .exclude(item_type__iregex=r"^(" + "|".join(headings) + ")$")
        .order_by("code")
    )


def competency_for(user: User, competency_id: int) -> Competency | None:
    """One competency of a framework the person may use, with its framework and parent; None otherwise."""
    return competencies_for_browsing(user).select_related("parent").filter(pk=competency_id).first()


def items_for(user: User, competency: Competency) -> QuerySet[Item]:
    return access.visible_items(user).filter(competencies=competency).order_by("identifier")


def item_review_queue(user: User) -> QuerySet[Item]:
    """Questions waiting for review, leaving out the reviewer's own."""
    if not access.can_review(user):
        return Item.objects.none()
    return (
        Item.objects.filter(access.review_scope(user), status=Status.IN_REVIEW)
        .exclude(owner=user)
        .select_related("owner")
        .prefetch_related("competencies")
        .order_by("created_at", "pk")
    )


def content_detail(user: User, content_id: int) -> Content | None:
    """One piece of content the person may see, with what its page shows; None if they may not."""
    content = (
        access.visible_content(user)
        .filter(pk=content_id)
        .select_related("owner", "district")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("code")))
        .first()
    )
    if content is not None:
        seen = Review.objects.filter(access.reviews_here(user, content)).select_related(
            "reviewer", "district"
        )
        prefetch_related_objects([content], Prefetch("reviews", queryset=seen))
    return content


def item_detail(user: User, item_id: int) -> Item | None:
    return (
        access.visible_items(user)
        .filter(pk=item_id)
        .select_related("owner", "district")
        .prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("code")))
        .first()
    )


def content_by_id(user: User, content_id: int) -> Content | None:
    """Content the person may see, without what its page shows (e.g. a replacement they picked)."""
    return access.visible_content(user).filter(pk=content_id).first()


def taught_section(teacher: User, section_id: int) -> Section | None:
    """One of the teacher's own sections; None for anyone else's."""
    return access.taught_sections(teacher).filter(pk=section_id).first()


def awaiting_review(reviewer: User, content_id: int) -> Content | None:
    """The content if it is in this reviewer's queue (in review, and not their own), with earlier reviews."""
    earlier = Prefetch("reviews", queryset=Review.objects.select_related("reviewer"))
    return review_queue(reviewer).filter(pk=content_id).prefetch_related(earlier).first()


def item_awaiting_review(reviewer: User, item_id: int) -> Item | None:
    """The question if it is in this reviewer's queue (in review, and not their own)."""
    return item_review_queue(reviewer).filter(pk=item_id).first()


def item_reviews(item: Item, user: User | None = None) -> QuerySet[ItemReview]:
    """A question's reviews (those the person may see, when one is named: see access.reviews_here)."""
    found = item.reviews.select_related("reviewer", "district")
    return found if user is None else found.filter(access.reviews_here(user, item))


def adopted_by(user: User, thing: Content | Item) -> list[str]:
    """The names of the person's districts that have adopted this content or question."""
    field = "content" if isinstance(thing, Content) else "item"
    return list(
        Adoption.objects.filter(
            district_id__in=ownership.district_ids_of(user), **{field: thing}
        ).values_list("district__name", flat=True)
    )


@dataclass(frozen=True)
class ItemPreview:
    """What a question's page shows of how it is graded: the right answer, or for a template one variant."""

    answer: str = ""
    example: engine_items.ItemInstance | None = None


def item_preview(item: Item) -> ItemPreview:
    try:
        if item.kind == Item.Kind.TEMPLATE:
            return ItemPreview(
                example=engine_items.instantiate(engine_items.template_from_dict(item.template), 0)
            )
        return ItemPreview(answer=engine_items.correct_answer_text(engine_items.spec_from_dict(item.spec)))
    except engine_items.SpecError:
        return ItemPreview()  # shown as stored; the importers refuse such items, so this is only old data


def recent_link_checks(content: Content, limit: int = 5) -> list[LinkCheck]:
    return list(content.link_checks.all()[:limit])


@dataclass(frozen=True)
class Answer:
    question: str
    rating: str
    note: str


def reviews_with_answers(content: Content) -> list[tuple[Review, list[Answer]]]:
    """The content's reviews, each with its answers in words (``content_detail`` and ``awaiting_review``
    prefetch them with their reviewers)."""
    return [(r, review_answers(r)) for r in content.reviews.all()]


def review_answers(review: Review) -> list[Answer]:
    """A review's answers in the order the form asks them, with the question and rating in words."""
    ratings = dict(vetting.RATINGS)
    return [
        Answer(q.text, ratings.get(review.answers.get(q.key, {}).get("rating", ""), "—"), note)
        for q in vetting.QUESTIONS
        for note in [str(review.answers.get(q.key, {}).get("note", ""))]
        if q.key in review.answers
    ]


@dataclass(frozen=True)
class SectionChoice:
    section: Section
    choice: SectionContent | None


def section_choices(teacher: User, content: Content) -> list[SectionChoice]:
    """What each of the teacher's sections does with this content now (shown, hidden or replaced)."""
    sections = list(access.taught_sections(teacher).order_by("name", "pk"))
    chosen = {
        c.section_id: c
        for c in SectionContent.objects.filter(section__in=sections, content=content).select_related(
            "replacement"
        )
    }
    return [SectionChoice(s, chosen.get(s.pk)) for s in sections]


def replacement_candidates(teacher: User, content: Content, limit: int = 50) -> QuerySet[Content]:
    """Approved content the teacher may put before their students (their district's, adopted, the
    platform's, or their own) that covers at least one of the same competencies, its link not broken."""
    usable = ownership.holds_in(ownership.district_ids_of(teacher), "content") | Q(owner=teacher)
    return (
        access.visible_content(teacher)
        .filter(usable)
        .exclude(link_status=Content.LinkStatus.BROKEN)
        .filter(status=Status.APPROVED, competencies__in=content.competencies.all())
        .exclude(pk=content.pk)
        .distinct()
        .order_by("title", "pk")[:limit]
    )


def content_for_competency(user: User, competency: Competency) -> QuerySet[Content]:
    return access.visible_content(user).filter(competencies=competency).order_by("kind", "title", "pk")


def browse_competencies(q: str = "", user: User | None = None) -> QuerySet[Competency]:
    found = competencies_for_browsing(user)
    if q:
        found = found.filter(Q(code__icontains=q) | Q(statement__icontains=q))
    return found


# ----------------------------------------------------------------------------------------- graph drawing

GEOMETRY = Geometry(box_w=150, box_h=44, gap_x=60, gap_y=18, pad=12, arrow_gap=4)


@dataclass(frozen=True)
class GraphNode:
    competency: Competency
    role: str  # "current", "prerequisite" (an ancestor) or "next" (a direct dependent)
    box: Box
    direct: bool = False  # a direct prerequisite or a direct dependent

    @property
    def x(self) -> int:
        return self.box.x

    @property
    def y(self) -> int:
        return self.box.y


@dataclass(frozen=True)
class PrerequisiteGraph:
    nodes: list[GraphNode]
    edges: list[Line]
    width: int
    height: int
    box_w: int = GEOMETRY.box_w
    box_h: int = GEOMETRY.box_h

    def ordered(self, role: str, *, direct_only: bool = False) -> list[Competency]:
        """The competencies of one role, prerequisites in the order they are learnt."""
        return [n.competency for n in self.nodes if n.role == role and (n.direct or not direct_only)]


def prerequisite_graph(competency: Competency) -> PrerequisiteGraph:
    """Everything the competency builds on, and what builds on it next, laid out left to right by depth."""
    all_edges = [
        (str(a), str(b)) for a, b in Prerequisite.objects.values_list("prerequisite_id", "competency_id")
    ]
    me = str(competency.pk)
    before = set(graph.ancestors(me, all_edges))
    after = set(graph.dependents(me, all_edges))
    keys = sorted({me, *before, *after})
    edges = [(a, b) for a, b in all_edges if a in keys and b in keys]
    drawing = lay_out(keys, edges, GEOMETRY)
    comps = {str(c.pk): c for c in Competency.objects.filter(pk__in=[int(k) for k in keys])}
    direct = {*graph.prerequisites(me, edges), *after}
    nodes = [
        GraphNode(
            comps[key],
            "current" if key == me else "prerequisite" if key in before else "next",
            box,
            key in direct,
        )
        for key, box in drawing.boxes.items()
    ]
    return PrerequisiteGraph(
        nodes=sorted(nodes, key=lambda n: (n.box.layer, n.box.row)),
        edges=drawing.lines,
        width=drawing.width,
        height=drawing.height,
    )


@dataclass(frozen=True)
class Crosswalk:
    """One CASE link seen from a competency: its type, whether this competency is its origin, and the other
    end (a competency Cairn holds, or only the outside node's title and URI until its framework arrives)."""

    association_type: str
    outgoing: bool
    other: Competency | None
    title: str
    uri: str


def crosswalks(competency: Competency, viewer: User | None = None) -> list[Crosswalk]:
    """The competency's links to other standards, both directions, resolved ones first. A standard of a
    framework the viewer may not use is shown as the link gave it (title and URI), not opened."""
    links = CompetencyLink.objects.filter(Q(origin=competency) | Q(destination=competency)).select_related(
        "origin__framework", "destination__framework"
    )
    usable = set(
        competencies_for_browsing(viewer).filter(pk__in=_link_ends(links)).values_list("pk", flat=True)
    )
    rows = []
    for link in links.order_by("association_type", "pk"):
        outgoing = link.origin_id == competency.pk
        other = link.destination if outgoing else link.origin
        other = other if other is not None and other.pk in usable else None
        uri = link.destination_uri if outgoing else link.origin_uri
        title = link.destination_title if outgoing else ""
        safe_uri = uri if uri.startswith(("https://", "http://")) else ""  # shown as a link
        rows.append(Crosswalk(link.association_type, outgoing, other, title or uri, safe_uri))
    return sorted(rows, key=lambda r: r.other is None)


def _link_ends(links: QuerySet[CompetencyLink]) -> set[int]:
    return {pk for pair in links.values_list("origin_id", "destination_id") for pk in pair if pk is not None}
