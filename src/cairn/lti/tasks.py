"""Background work for the LMS: scores to its gradebook and its course membership into Cairn. Thin wrappers
over :mod:`cairn.lti.ags` and :mod:`cairn.lti.nrps`; an unreachable or refusing LMS is retried with
exponential backoff (30 s doubling, at most an hour apart, eight times), then left in the worker's log."""

from __future__ import annotations

from celery import shared_task
from pylti1p3.exception import LtiServiceException

from cairn.lti import ags, nrps

# An unreachable LMS (requests' errors are OSErrors) or one that answers with an error status.
RETRY_ON = (OSError, LtiServiceException)


@shared_task(
    name="cairn.lti.send_score",
    autoretry_for=RETRY_ON,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_score(placement_id: int, student_id: int) -> bool:
    """One student's score for one placement, to the LMS's line item."""
    return ags.send_score(placement_id=placement_id, student_id=student_id)


@shared_task(
    name="cairn.lti.pull_members",
    autoretry_for=RETRY_ON,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=5,
)
def pull_members(context_id: int) -> dict[str, int]:
    """The LMS course's membership into its Cairn class."""
    return nrps.pull_members(context_id=context_id).as_dict()
