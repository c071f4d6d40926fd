"""Reading a window's answers as scales: the mean of each respondent's scale score (reverse-scored
questions turned round, 6 − answer), how many answered, and the scale's reliability (Cronbach's alpha, from
the engine). Never a figure about fewer than ``MIN_RESPONDENTS`` people: the result is then ``suppressed``
with no mean and no alpha, whatever else asks for it (pages, measures, the class pulse)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from django.utils.translation import gettext as _

from cairn.accounts.models import School, Section
from cairn.engine.program import NotEnoughData, cronbach_alpha
from cairn.surveys.models import Answer, Survey, SurveyWindow

MIN_RESPONDENTS = 5


def suppressed_reason() -> str:
    return _("fewer than %(minimum)d answered") % {"minimum": MIN_RESPONDENTS}


@dataclass(frozen=True)
class ScaleResult:
    scale: str
    n: int
    mean: float | None
    alpha: float | None
    suppressed: bool
    questions: int

    @property
    def reason(self) -> str:
        return suppressed_reason() if self.suppressed else ""


@dataclass(frozen=True)
class ScaleChange:
    scale: str
    n_pre: int
    n_post: int
    pre: float | None
    post: float | None
    change: float | None
    suppressed: bool


def scale_rows(
    window: SurveyWindow, *, school: School | None = None, section: Section | None = None
) -> dict[str, list[list[float | None]]]:
    """Per scale, one row per submission (one column per question, None when skipped), scored."""
    answers = Answer.objects.filter(submission__window=window)
    if school is not None:
        answers = answers.filter(submission__school=school)
    if section is not None:
        answers = answers.filter(submission__section=section)
    scored: dict[object, dict[int, float]] = defaultdict(dict)
    for sub_id, qid, value, reverse in answers.values_list(
        "submission_id", "question_id", "value", "question__reverse_scored"
    ):
        scored[sub_id][qid] = float(6 - value if reverse else value)
    by_scale: dict[str, list[int]] = defaultdict(list)
    for q in window.survey.questions.all():
        by_scale[q.scale].append(q.pk)
    rows: dict[str, list[list[float | None]]] = {}
    for scale, qids in by_scale.items():
        rows[scale] = [
            [given.get(qid) for qid in qids] for given in scored.values() if any(qid in given for qid in qids)
        ]
    return rows


def _result(scale: str, rows: list[list[float | None]], questions: int) -> ScaleResult:
    n = len(rows)
    if n < MIN_RESPONDENTS:
        return ScaleResult(scale, n, None, None, True, questions)
    mean = fmean(fmean(v for v in row if v is not None) for row in rows)
    try:
        alpha: float | None = cronbach_alpha(rows) if questions >= 2 else None
    except NotEnoughData:
        alpha = None
    return ScaleResult(scale, n, mean, alpha, False, questions)


def scale_results(
    window: SurveyWindow, *, school: School | None = None, section: Section | None = None
) -> list[ScaleResult]:
    """The window's scales (in the order of their first question) for the district, a school or a section."""
    return [
        _result(scale, rows, len(rows[0]) if rows else window.survey.questions.filter(scale=scale).count())
        for scale, rows in scale_rows(window, school=school, section=section).items()
    ]


def respondents(window: SurveyWindow, *, school: School | None = None) -> int:
    subs = window.submissions.all()
    return subs.filter(school=school).count() if school is not None else subs.count()


def compare(
    pre: SurveyWindow, post: SurveyWindow, *, school: School | None = None, section: Section | None = None
) -> list[ScaleChange]:
    """Pre/post: each scale's mean change between two windows of the same survey, with both n. Different
    people may answer each time (answers are anonymous), so this is a change in the group, not in persons."""
    before = {r.scale: r for r in scale_results(pre, school=school, section=section)}
    changes = []
    for after in scale_results(post, school=school, section=section):
        first = before.get(after.scale)
        n_pre = first.n if first else 0
        suppressed = after.suppressed or first is None or first.suppressed
        changes.append(
            ScaleChange(
                scale=after.scale,
                n_pre=n_pre,
                n_post=after.n,
                pre=None if suppressed or first is None else first.mean,
                post=None if suppressed else after.mean,
                change=None
                if suppressed or first is None
                else round((after.mean or 0) - (first.mean or 0), 2),
                suppressed=suppressed,
            )
        )
    return changes


def pulse_for_section(section: Section, week: dt.date) -> ScaleResult | None:
    """The weekly class pulse of a section for the week holding ``week``: the "Class pulse" survey's window
    for that section that is open that week, read as one scale. Returns None when there is no pulse window,
    and a ``suppressed`` result (no mean, no alpha) when fewer than 5 students answered, so a teacher never
    sees the answers of a handful of students. Windows are opened per section and per week
    (``services.open_window(survey=<pulse survey>, section=..., opens=monday, closes=friday)``)."""
    monday = week - dt.timedelta(days=week.weekday())
    window = (
        SurveyWindow.objects.filter(
            survey__kind=Survey.Kind.PULSE, section=section, opens__lte=monday + dt.timedelta(days=6)
        )
        .filter(closes__gte=monday)
        .select_related("survey")
        .order_by("-opens")
        .first()
    )
    if window is None:
        return None
    results = scale_results(window, section=section)
    return results[0] if results else ScaleResult("Class pulse", 0, None, None, True, 2)
