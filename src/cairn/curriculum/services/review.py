"""Reviewers' decisions: approve content or a question for students, send it back to its author, or retire
it. Every decision is kept (who, what, why, and the district it holds in) and needs a reviewer of the
owner district (or a platform admin) who is not the author: an approval holds in that district only (see
cairn.curriculum.ownership)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from cairn.accounts.models import User
from cairn.core.errors import Conflict, Forbidden
from cairn.curriculum import access, vetting
from cairn.curriculum.models import Content, Item, ItemReview, Review, Status
from cairn.curriculum.services.field_errors import invalid, invalid_fields
from cairn.curriculum.services.notices import notify_owner

OUTCOME = {
    Review.Decision.APPROVE: Status.APPROVED,
    Review.Decision.CHANGES: Status.DRAFT,
    Review.Decision.REJECT: Status.RETIRED,
}
VERDICT = {"approve": "approved for the library", "changes": "sent back for changes", "reject": "retired"}


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
        raise Forbidden(_("Approving content needs a reviewer role."))
    if content.owner_id == reviewer.pk:
        raise Forbidden(_("Nobody reviews their own content."))
    if content.status != Status.IN_REVIEW:
        raise Conflict(_("Only content in review can be reviewed."))
    if not access.reviews_for(reviewer, content.district_id):
        raise Forbidden(_("Only the reviewers of the district that owns it review this content."))
    if decision not in OUTCOME:
        raise invalid("decision", f"unknown decision {decision!r}")
    if unknown := sorted(set(answers) - set(vetting.QUESTION_KEYS)):
        raise invalid("answers", f"unknown questions {unknown}")
    clean_answers = _clean_answers(answers)
    if decision == Review.Decision.APPROVE and (problems := vetting.approval_problems(clean_answers)):
        raise invalid_fields(problems)
    review = Review.objects.create(
        content=content,
        reviewer=reviewer,
        decision=decision,
        district_id=content.district_id,
        answers=clean_answers,
        comment=comment[:5000],
    )
    content.status = OUTCOME[Review.Decision(decision)]
    content.save(update_fields=["status", "updated_at"])
    notify_owner(
        content,
        f"“{content.title}” was {VERDICT[decision]} by {reviewer.display_name}."
        + (f" {comment[:300]}" if comment else ""),
    )
    return review


def _clean_answers(answers: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """One rating and note per vetting question, as text: what the review keeps."""
    return {
        key: {
            "rating": str(answers.get(key, {}).get("rating", "")),
            "note": str(answers.get(key, {}).get("note", ""))[:1000],
        }
        for key in vetting.QUESTION_KEYS
    }


@transaction.atomic
def review_item(reviewer: User, item: Item, decision: str, comment: str = "") -> Item:
    """Approve a question for students, send it back to its author, or retire it, and keep the review.
    Needs a reviewer who is not the author."""
    if not access.can_review(reviewer):
        raise Forbidden(_("Approving questions needs a reviewer role."))
    if item.owner_id == reviewer.pk:
        raise Forbidden(_("Nobody reviews their own question."))
    if item.status != Status.IN_REVIEW:
        raise Conflict(_("Only questions in review can be reviewed."))
    if not access.reviews_for(reviewer, item.district_id):
        raise Forbidden(_("Only the reviewers of the district that owns it review this question."))
    if decision not in OUTCOME:
        raise invalid("decision", f"unknown decision {decision!r} (approve, changes, reject)")
    item.status = OUTCOME[Review.Decision(decision)]
    item.save(update_fields=["status"])
    ItemReview.objects.create(
        item=item, reviewer=reviewer, decision=decision, district_id=item.district_id, comment=comment.strip()
    )
    return item
