"""Evidence of effect: the program's students' growth against a comparison group the leader picks, with
Hedges' g, the baseline-adjusted difference, intervals, the n, and what the comparison is (not a trial)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from cairn.accounts.access import person
from cairn.accounts.models import District, Role, School
from cairn.accounts.views import role_required
from cairn.engine.program import NotEnoughData
from cairn.leaders import access, effect
from cairn.leaders.charts import interval_chart


def _key(test: effect.Test) -> str:
    return f"{test.assessment}||{test.period}"


class EffectForm(forms.Form):
    baseline = forms.ChoiceField(label=_lazy("Baseline test"))
    outcome = forms.ChoiceField(label=_lazy("Outcome test"))
    comparison = forms.ChoiceField(label=_lazy("Compared with"), choices=list(effect.COMPARISONS.items()))
    last_baseline = forms.ChoiceField(
        label=_lazy("Last year's baseline (last year's cohort only)"), required=False
    )
    last_outcome = forms.ChoiceField(
        label=_lazy("Last year's outcome (last year's cohort only)"), required=False
    )

    def __init__(self, *args: object, tests: list[effect.Test], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(_key(t), str(t)) for t in tests]
        for name in ("baseline", "outcome"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
        for name in ("last_baseline", "last_outcome"):
            self.fields[name].choices = [("", "—"), *choices]  # type: ignore[attr-defined]

    def test(self, name: str) -> effect.Test | None:
        value = self.cleaned_data.get(name) or ""
        assessment, _sep, period = value.partition("||")
        return effect.Test(assessment, period) if value else None


def _page(request: HttpRequest, district: District, school: School | None) -> HttpResponse:
    tests = effect.tests_of(district)
    form = EffectForm(request.GET or None, tests=tests)
    result, refusal = None, ""
    if form.is_valid():
        last_b, last_o = form.test("last_baseline"), form.test("last_outcome")
        try:
            result = effect.evidence(
                district=district,
                school=school,
                baseline=form.test("baseline"),  # type: ignore[arg-type]
                outcome=form.test("outcome"),  # type: ignore[arg-type]
                comparison=form.cleaned_data["comparison"],
                last_year=(last_b, last_o) if last_b and last_o else None,
            )
        except NotEnoughData as exc:
            refusal = f"Not enough data to compare: {exc}."
    chart = interval_chart([result.treatment, result.control]) if result else None
    context = {
        "district": district,
        "school": school,
        "form": form,
        "tests": tests,
        "result": result,
        "refusal": refusal,
        "chart": chart,
        "program": _program_form(district) if school is None else None,
        "groups": [result.treatment, result.control] if result else [],
    }
    return render(request, "leaders/effect.html", context)


class ProgramForm(forms.Form):
    schools = forms.MultipleChoiceField(
        label=_lazy("Schools in the program"), required=False, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(
        label=_lazy("In the program since (for schools joining now)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@role_required(Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def district_effect(request: HttpRequest, district_id: int) -> HttpResponse:
    district = access.district_for_admin(person(request), district_id)
    if request.method == "POST":  # the district's setting: which schools are in the program
        form = ProgramForm(request.POST)
        form.fields["schools"].choices = [(s.pk, s.name) for s in district.schools.all()]  # type: ignore[attr-defined]
        if form.is_valid():
            ids = {int(pk) for pk in form.cleaned_data["schools"]}
            effect.set_program_schools(district=district, school_ids=ids, since=form.cleaned_data["since"])
            messages.success(
                request,
                ngettext("%(n)d school in the program.", "%(n)d schools in the program.", len(ids))
                % {"n": len(ids)},
            )
        else:
            messages.error(request, "Pick the schools and the date they joined.")
        return redirect("leaders-effect", district.pk)
    return _page(request, district, None)


def _program_form(district: District) -> ProgramForm:
    in_program = effect.program_schools(district)
    form = ProgramForm(initial={"schools": [str(pk) for pk in in_program], "since": timezone.localdate()})
    form.fields["schools"].choices = [(str(s.pk), s.name) for s in district.schools.order_by("name")]  # type: ignore[attr-defined]
    return form


@role_required(Role.SCHOOL_LEADER, Role.DISTRICT_ADMIN, Role.PLATFORM_ADMIN)
def school_effect(request: HttpRequest, school_id: int) -> HttpResponse:
    school = access.school_for_leader(person(request), school_id)
    return _page(request, school.district, school)
