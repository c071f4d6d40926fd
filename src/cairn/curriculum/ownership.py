"""Districts own their things: who owns content, questions and frameworks, and what is approved where.

- A framework is public (``district`` None: a state's or a consortium's standards) or a district's own.
- Content and questions belong to a district (``district``; None is the platform's own library, loaded by
  the platform). A person's new content and questions belong to their district; an import names the
  district it loads for (``cairn import … --district NAME``), or none for the platform library.
- An approval holds in the district whose reviewer made it, and nowhere else: ``status`` approved means
  "approved by the owner district" (its reviewers, or a platform admin acting for it); each ``Review`` and
  ``ItemReview`` records the district its decision holds in. Reviewers review only their own district's
  queue; the platform library's queue is the platform admins' (and reviewers' who belong to no district).
- ``shared`` opts approved content or a question into the library other districts see. They see it
  read-only, with the owner district's review, and may adopt it with one click (an ``Adoption``): it then
  reaches their students on the strength of the owner's approval, for as long as that approval holds
  (retired or sent back by the owner, it leaves every adopter's students too). Withdrawing ``shared`` stops
  new adoptions and leaves the ones made.
- So what is **approved for district D**: approved and (owned by D, or adopted by D, or the platform's own
  library). ``approved_content_for`` / ``approved_items_for`` say it, once, for every place a student gets
  something (the board, practice, the diagnostic bank, the path's "has approved practice").
- What a member of staff sees in the library: public and their district's frameworks; their district's and
  the platform's content and questions that have entered vetting, and their own drafts; shared approved
  ones of other districts; reviews made in their district, and the owner district's reviews of what they
  may see. Platform admins see everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cairn.accounts.access import roles_of
from cairn.accounts.models import District, Role, RoleAssignment, User
from cairn.curriculum.models import Adoption, Content, Item, Status

# A district, a district's id, the ids of several (a values() query stays a subquery: no round trip), or
# None: the platform library only.
Districts = District | int | QuerySet[Any] | list[int] | None


def district_ids_of(user: User) -> QuerySet[District, Any]:
    """The districts a person belongs to (through their schools, or as a district admin), as a lazy
    ``values("pk")`` query: used inside other queries it costs no extra round trip."""
    through_schools = RoleAssignment.objects.filter(user=user, school__isnull=False).values(
        "school__district_id"
    )
    direct = RoleAssignment.objects.filter(user=user, district__isnull=False).values("district_id")
    return District.objects.filter(Q(pk__in=through_schools) | Q(pk__in=direct)).values("pk")


def student_district_ids(student: User) -> list[int]:
    """The districts of a student's schools, read once per loaded student: the answer loop asks for every
    question it serves and every board it builds, and a plain id list keeps those queries simple (a
    nested subquery cost the demo's replay about a third more CPU)."""
    cached: list[int] | None = getattr(student, "_cairn_district_ids", None)
    if cached is None:
        cached = sorted(
            {
                d
                for d in RoleAssignment.objects.filter(user=student, role=Role.STUDENT).values_list(
                    "school__district_id", flat=True
                )
                if d is not None
            }
        )
        student._cairn_district_ids = cached  # type: ignore[attr-defined]
    return cached


def home_district(user: User) -> District | None:
    """The district a person's new content and questions belong to: their own (the first, if several);
    None for a platform admin of no district (the platform library)."""
    return District.objects.filter(pk__in=district_ids_of(user)).order_by("pk").first()


def is_platform_admin(user: User) -> bool:
    return Role.PLATFORM_ADMIN in roles_of(user)


def _in(districts: Districts, field: str = "district") -> Q:
    if districts is None:
        return Q(pk__in=[])
    if isinstance(districts, District):
        return Q(**{f"{field}_id": districts.pk})
    if isinstance(districts, int):
        return Q(**{f"{field}_id": districts})
    return Q(**{f"{field}_id__in": districts})


def holds_in(districts: Districts, kind: str) -> Q:
    """Owned by one of ``districts``, adopted by one, or the platform's own (``kind``: "content"/"item")."""
    adopted = Adoption.objects.filter(_in(districts), **{f"{kind}__isnull": False}).values(f"{kind}_id")
    return Q(district__isnull=True) | _in(districts) | Q(pk__in=adopted)


def approved_content_for(districts: Districts) -> QuerySet[Content]:
    """Content approved for students of ``districts`` (see the module's rules). Broken links are the
    caller's to leave out (the board does)."""
    return Content.objects.filter(Q(status=Status.APPROVED) & holds_in(districts, "content"))


def approved_items_for(districts: Districts) -> QuerySet[Item]:
    """Questions approved for students of ``districts``: practice, review and the diagnostic draw on these."""
    return Item.objects.filter(Q(status=Status.APPROVED) & holds_in(districts, "item"))


def approved_items_for_student(student: User) -> QuerySet[Item]:
    return approved_items_for(student_district_ids(student))


def shared_elsewhere(districts: Districts) -> Q:
    """Another district's shared, approved thing: what a district may see read-only and adopt."""
    return Q(shared=True, status=Status.APPROVED, district__isnull=False) & ~_in(districts)
