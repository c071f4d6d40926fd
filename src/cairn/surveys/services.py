"""Writing surveys: the district's surveys and their questions, windows, the defaults, and answers.

Submitting keeps the promise of anonymity in one transaction: a ``Taken`` row (this person answered in
this window, so never twice) and, apart from it, a ``Submission`` with no person, a random key and only the
day. Nothing links the two."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cairn.accounts.models import District, School, Section, User
from cairn.core.errors import Conflict, Invalid, NotFound
from cairn.surveys.models import Answer, Question, Submission, Survey, SurveyWindow, Taken
from cairn.surveys.respondents import Place, place_of

DEFAULTS_FILE = Path(__file__).with_name("data") / "default_surveys.json"
LIKERT = {
    1: gettext_lazy("Strongly disagree"),
    2: gettext_lazy("Disagree"),
    3: gettext_lazy("Neither agree nor disagree"),
    4: gettext_lazy("Agree"),
    5: gettext_lazy("Strongly agree"),
}


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    scale: str
    reverse_scored: bool = False
    translations: tuple[tuple[str, str], ...] = ()  # (language, text): ("es", "Esta semana …")


def parse_questions(text: str) -> list[QuestionSpec]:
    """The editor's question box: one question a line, ``Scale | question text`` and ``| reverse`` at the end
    for a question scored the other way round."""
    specs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        reverse = len(parts) == 3 and parts[2].lower() in {"reverse", "r", "reversed"}
        if len(parts) not in (2, 3) or not parts[0] or not parts[1] or (len(parts) == 3 and not reverse):
            raise Invalid(
                _("Line %(number)d: write “Scale | question” (and “| reverse” if needed).")
                % {"number": number},
                field="questions",
            )
        if len(parts[1]) > 300 or len(parts[0]) > 80:
            raise Invalid(_("Line %(number)d is too long.") % {"number": number}, field="questions")
        specs.append(QuestionSpec(text=parts[1], scale=parts[0], reverse_scored=reverse))
    if not specs:
        raise Invalid(_("A survey needs at least one question."), field="questions")
    return specs


@transaction.atomic
def save_survey(
    *,
    district: District,
    author: User | None,
    title: str,
    audience: str,
    questions: list[QuestionSpec],
    anonymous: bool = True,
    active: bool = True,
    intro: str = "",
    kind: str = Survey.Kind.SURVEY,
    survey: Survey | None = None,
) -> Survey:
    """Create a survey, or change one. Questions already answered in a window are kept as they are."""
    if not title.strip():
        raise Invalid(_("Give the survey a title."), field="title")
    if audience not in Survey.Audience.values:
        raise Invalid(_("Choose who answers it."), field="audience")
    if survey is None:
        survey = Survey(district=district, author=author)
    elif survey.district_id != district.pk:
        raise NotFound(_("No such survey."))
    if survey.pk and Answer.objects.filter(question__survey=survey).exists():
        current = [(q.text, q.scale, q.reverse_scored) for q in survey.questions.all()]
        if current != [(q.text, q.scale, q.reverse_scored) for q in questions]:
            raise Conflict(
                _("People have answered this survey: copy it to change its questions."), field="questions"
            )
    survey.title, survey.audience, survey.anonymous = title.strip(), audience, anonymous
    survey.active, survey.intro, survey.kind = active, intro, kind
    survey.save()
    if not Answer.objects.filter(question__survey=survey).exists():
        survey.questions.all().delete()
        Question.objects.bulk_create(
            Question(
                survey=survey,
                position=i,
                text=q.text,
                scale=q.scale,
                reverse_scored=q.reverse_scored,
                translations=dict(q.translations),
            )
            for i, q in enumerate(questions, start=1)
        )
    return survey


def install_defaults(*, district: District, author: User | None = None) -> list[Survey]:
    """Install Cairn's default surveys (student engagement and agency, teacher, family, the class pulse)
    for a district; a survey it already has by that title is left alone."""
    made = []
    for spec in json.loads(DEFAULTS_FILE.read_text(encoding="utf-8")):
        if Survey.objects.filter(district=district, title=spec["title"]).exists():
            continue
        made.append(
            save_survey(
                district=district,
                author=author,
                title=spec["title"],
                audience=spec["audience"],
                kind=spec.get("kind", Survey.Kind.SURVEY),
                intro=spec.get("intro", ""),
                questions=[
                    QuestionSpec(
                        q["text"],
                        q["scale"],
                        q.get("reverse", False),
                        tuple(q.get("translations", {}).items()),
                    )
                    for q in spec["questions"]
                ],
            )
        )
    return made


def open_window(
    *,
    survey: Survey,
    name: str,
    opens: dt.date,
    closes: dt.date,
    school: School | None = None,
    section: Section | None = None,
    school_id: int | None = None,
) -> SurveyWindow:
    """Open a window for the district (no school, no section), one of its schools or one section."""
    if school_id is not None:
        school = School.objects.filter(pk=school_id, district_id=survey.district_id).first()
        if school is None:
            raise NotFound(_("No such school."))
    if not name.strip():
        raise Invalid(_("Name the window, e.g. “Fall (pre)”."), field="name")
    if closes < opens:
        raise Invalid(_("A window closes after it opens."), field="closes")
    for place in (school, section.school if section else None):
        if place is not None and place.district_id != survey.district_id:
            raise NotFound(_("No such school."))
    return SurveyWindow.objects.create(
        survey=survey, name=name.strip(), opens=opens, closes=closes, school=school, section=section
    )


def submit(*, window: SurveyWindow, person: User, answers: Mapping[int, int]) -> Submission:
    """Record one person's answers (question id → 1..5; questions may be skipped), once per window."""
    today = timezone.localdate()
    if not window.survey.active or not window.opens <= today <= window.closes:
        raise Conflict(_("This survey is not open now."))
    place = place_of(window, person)
    if place is None:
        raise NotFound(_("No such survey."))
    questions = {q.pk: q for q in window.survey.questions.all()}
    if not answers or any(qid not in questions for qid in answers):
        raise Invalid(_("Answer at least one of the survey's questions."))
    if any(value not in LIKERT for value in answers.values()):
        raise Invalid(_("Each answer is from 1 to 5."))
    return record(window=window, person=person, place=place, answers=answers, on=today)


def record(
    *, window: SurveyWindow, person: User, place: Place, answers: Mapping[int, int], on: dt.date
) -> Submission:
    """Write one person's checked answers: a ``Taken`` row and, apart from it, the submission (no person
    when the survey is anonymous). ``submit`` checks first; the demo calls this to fill past windows."""
    questions = {q.pk: q for q in window.survey.questions.all()}
    try:
        with transaction.atomic():
            Taken.objects.create(window=window, person=person)
            submission = Submission.objects.create(
                window=window,
                school=place.school,
                section=place.section,
                submitted_on=on,
                respondent=None if window.survey.anonymous else person,
            )
            Answer.objects.bulk_create(
                Answer(submission=submission, question=questions[qid], value=v) for qid, v in answers.items()
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already answered this survey. Thank you!")) from exc
    return submission
