"""The survey engine: answering once, anonymity in the tables, no figure under 5, alpha as the engine
computes it on the stored answers, pre/post change, defaults, the class pulse, and who sees results."""

from __future__ import annotations

import datetime as dt

import pytest

from cairn.accounts import services as accounts
from cairn.accounts.models import Enrolment, Role, User
from cairn.core.errors import Conflict
from cairn.engine.program import cronbach_alpha
from cairn.surveys import results, services
from cairn.surveys.models import Answer, Submission, Survey, SurveyWindow, Taken
from tests.conftest import World, _person, client_for

TODAY = dt.date.today()
PATTERNS = [(5, 4, 2), (4, 4, 2), (3, 2, 3), (2, 2, 4), (5, 5, 1), (1, 2, 5)]


def _survey(world: World) -> Survey:
    specs = [
        services.QuestionSpec("I like class.", "Engagement"),
        services.QuestionSpec("I work hard.", "Engagement"),
        services.QuestionSpec("I feel bored.", "Engagement", reverse_scored=True),
        services.QuestionSpec("I choose how I learn.", "Agency"),
    ]
    return services.save_survey(
        district=world.district,
        author=world.district_admin,
        title="Engagement",
        audience="student",
        questions=specs,
    )


def _students(world: World, count: int, school_name: str = "school") -> list[User]:
    school = getattr(world, school_name)
    made = []
    for i in range(count):
        user = _person(f"s{school_name}_{i}", Role.STUDENT, school=school)
        made.append(user)
    return made


def _answer(window: SurveyWindow, people: list[User], shift: int = 0) -> None:
    qs = list(window.survey.questions.all())
    for person, pattern in zip(people, PATTERNS * 3, strict=False):
        values = [*pattern, 3]
        answers = {q.pk: max(1, min(5, v + shift)) for q, v in zip(qs, values, strict=True)}
        services.submit(window=window, person=person, answers=answers)


def _window(survey: Survey, name: str = "Fall (pre)", opens: dt.date = TODAY) -> SurveyWindow:
    return services.open_window(survey=survey, name=name, opens=opens, closes=TODAY + dt.timedelta(days=7))


def test_once_per_person_and_anonymous(world: World) -> None:
    window = _window(_survey(world))
    q = window.survey.questions.first()
    assert q is not None
    services.submit(window=window, person=world.student, answers={q.pk: 4})
    with pytest.raises(Conflict):
        services.submit(window=window, person=world.student, answers={q.pk: 2})
    assert Taken.objects.filter(window=window, person=world.student).count() == 1
    submission = Submission.objects.get()
    assert submission.respondent is None and not hasattr(submission, "submitted_at")
    # No answer row holds a person, directly or through its submission.
    person_fields = [f.name for f in Answer._meta.get_fields() if getattr(f, "related_model", None) is User]
    assert person_fields == []
    assert Answer.objects.filter(submission__respondent__isnull=False).count() == 0
    # Someone out of scope is not asked.
    with pytest.raises(Exception, match="No such survey"):
        services.submit(window=window, person=world.stranger, answers={q.pk: 4})


def test_suppressed_under_five_and_alpha_matches_engine(world: World) -> None:
    window = _window(_survey(world))
    _answer(window, _students(world, 4))
    assert all(r.suppressed and r.mean is None and r.alpha is None for r in results.scale_results(window))
    _answer(window, _students(world, 2, "sister_school"))
    engagement = {r.scale: r for r in results.scale_results(window)}["Engagement"]
    assert not engagement.suppressed and engagement.n == 6
    stored = [[a.value for a in s.answers.order_by("question__position")] for s in Submission.objects.all()]
    rows = [[float(a), float(b), float(6 - c)] for a, b, c, _ in stored]
    assert engagement.alpha == pytest.approx(cronbach_alpha(rows))
    assert engagement.mean == pytest.approx(sum(sum(r) / 3 for r in rows) / 6)
    # Per school: 4 at one, 2 at the other — both hidden.
    assert all(r.suppressed for r in results.scale_results(window, school=world.school))
    assert all(r.suppressed for r in results.scale_results(window, school=world.sister_school))


def test_pre_post_change(world: World) -> None:
    survey = _survey(world)
    pre = _window(survey, "Fall (pre)", TODAY - dt.timedelta(days=3))
    post = _window(survey, "Spring (post)", TODAY)
    _answer(pre, _students(world, 6))
    _answer(post, _students(world, 6, "sister_school"), shift=1)
    by_scale = {c.scale: c for c in results.compare(pre, post)}
    agency = by_scale["Agency"]
    assert (agency.n_pre, agency.n_post) == (6, 6) and agency.change == pytest.approx(1.0)
    assert by_scale["Engagement"].change is not None and by_scale["Engagement"].change > 0
    page = client_for(world.district_admin).get(f"/surveys/windows/{post.pk}/results/").content.decode()
    assert "Change since Fall (pre)" in page and "+1.00 (n 6 then 6)" in page and "not a randomized" in page


def test_defaults_and_class_pulse(world: World) -> None:
    made = services.install_defaults(district=world.district)
    assert {s.audience for s in made} == {"student", "teacher", "family"}
    assert services.install_defaults(district=world.district) == []
    pulse = next(s for s in made if s.kind == Survey.Kind.PULSE)
    window = services.open_window(
        survey=pulse, name="This week", opens=TODAY, closes=TODAY, section=world.section
    )
    assert results.pulse_for_section(world.section, TODAY) is not None
    assert results.pulse_for_section(world.section, TODAY).suppressed  # type: ignore[union-attr]
    extra = _students(world, 5)
    for user in extra:
        accounts.enrol(user, world.section, Enrolment.Kind.STUDENT, TODAY, None)
    qs = list(pulse.questions.all())
    for i, user in enumerate(extra):
        services.submit(window=window, person=user, answers={qs[0].pk: 3 + i % 3, qs[1].pk: 4})
    shown = results.pulse_for_section(world.section, TODAY)
    assert shown is not None and not shown.suppressed and shown.n == 5
    assert results.pulse_for_section(world.sister_section, TODAY) is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("district_admin", 200), ("leader", 200), ("teacher", 404), ("student", 404), ("platform_admin", 200)],
)
def test_results_page_by_role(world: World, who: str, status: int) -> None:
    window = _window(_survey(world))
    _answer(window, _students(world, 5))
    response = client_for(getattr(world, who)).get(f"/surveys/windows/{window.pk}/results/")
    assert response.status_code == status
    if who == "leader":
        assert b"Whole district" not in response.content and b"Pine Middle" not in response.content
        assert b"Oak Elementary" in response.content
    if who == "district_admin":
        assert b"Whole district" in response.content and b"fewer than 5 answered" in response.content


def test_other_district_gets_not_found(world: World) -> None:
    other = services.save_survey(
        district=world.other_district, author=None, title="Theirs", audience="student",
        questions=[services.QuestionSpec("Q", "S")],
    )  # fmt: skip
    window = _window(other)
    admin = client_for(world.district_admin)
    assert admin.get(f"/surveys/windows/{window.pk}/results/").status_code == 404
    assert admin.get(f"/surveys/districts/{world.other_district.pk}/{other.pk}/").status_code == 404
    assert client_for(world.student).get(f"/surveys/windows/{window.pk}/").status_code == 404


def test_take_and_edit_pages(world: World) -> None:
    admin = client_for(world.district_admin)
    response = admin.post(
        f"/surveys/districts/{world.district.pk}/new/",
        {"title": "Quick", "audience": "student", "anonymous": "on", "active": "on",
         "questions": "Engagement | I like it\nEngagement | I am bored | reverse"},
    )  # fmt: skip
    assert response.status_code == 302
    survey = Survey.objects.get(title="Quick")
    assert [q.reverse_scored for q in survey.questions.all()] == [False, True]
    window = _window(survey)
    student = client_for(world.student)
    page = student.get(f"/surveys/windows/{window.pk}/")
    assert page.status_code == 200 and b"<fieldset>" in page.content and b"<legend>" in page.content
    q1, _ = survey.questions.all()
    assert student.post(f"/surveys/windows/{window.pk}/", {f"q{q1.pk}": "4"}).status_code == 302
    assert Answer.objects.get().value == 4 and Submission.objects.get().respondent is None


def test_survey_measure_for_goals(world: World) -> None:
    from cairn.leaders.measures import get

    window = _window(_survey(world))
    _answer(window, _students(world, 5))
    measure = get("survey_scale")
    assert measure is not None
    agency = measure.value(world.district, None, TODAY, {"survey_id": window.survey_id, "scale": "Agency"})
    assert agency == (50.0, 5)  # everyone answered 3 → the middle of 0–100
    assert (
        measure.value(world.district, world.sister_school, TODAY, {"survey_id": window.survey_id}).value
        is None
    )


def test_demo_surveys_once(world: World) -> None:
    from cairn.surveys.demo import seed_demo_surveys

    assert seed_demo_surveys(world.district) > 0
    assert seed_demo_surveys(world.district) == 0
    spring = SurveyWindow.objects.get(name="Spring (post)")
    assert (
        spring.submissions.count() >= 1 and Submission.objects.filter(respondent__isnull=False).count() == 0
    )
    pulse = results.pulse_for_section(world.section, TODAY)
    assert pulse is not None and pulse.suppressed and pulse.n == 2
