"""The district's proficiency scale page (district admins), beside the mastery policy page.

One text box, a level a line, lowest first: ``minimum mastery | score | name``, the last line
``mastered | score | name``. The form parses the lines; :func:`cairn.learning.services.proficiency.set_scale`
checks the scale as a whole, and a refusal shows beside the box with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cairn.accounts.access import person
from cairn.accounts.models import District
from cairn.core.errors import Invalid
from cairn.core.middleware import add_to_form
from cairn.learning.selectors import policy, proficiency
from cairn.learning.services.proficiency import set_scale

MASTERED_WORDS = ("mastered", "m")


def scale_text(scale: proficiency.Scale) -> str:
    return "\n".join(
        f"{'mastered' if lvl.mastered else f'{lvl.minimum:g}'} | {lvl.text} | {lvl.label}"
        for lvl in scale.levels
    )


def _parse_line(number: int, line: str) -> tuple[float | None, float, str]:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) != 3:
        raise forms.ValidationError(
            f"Line {number}: write “minimum | score | name”, e.g. “0.5 | 2 | Developing”."
        )
    minimum, score, label = parts
    try:
        low = (
            None
            if minimum.lower() in MASTERED_WORDS
            else float(minimum.rstrip("%")) / (100 if minimum.endswith("%") else 1)
        )
        return low, float(score), label
    except ValueError as exc:
        raise forms.ValidationError(f"Line {number}: the minimum and the score are numbers.") from exc


class ScaleForm(forms.Form):
    levels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 7, "cols": 48}),
        label="Levels, lowest first: minimum mastery | score | name",
        help_text=(
            "A competency gets the highest level whose minimum its mastery estimate reaches (0.8 or 80%); "
            "the last line is the level of a mastered competency: “mastered | 4 | Mastered”. "
            "Not started stays blank. Names can't hold : , { or }."
        ),
    )

    def clean_levels(self) -> list[tuple[float | None, float, str]]:
        lines = [line for line in str(self.cleaned_data["levels"]).splitlines() if line.strip()]
        return [_parse_line(n, line) for n, line in enumerate(lines, start=1)]


@login_required
def district_scale(request: HttpRequest, district_id: int) -> HttpResponse:
    district = get_object_or_404(District, pk=district_id)
    viewer = person(request)
    if not policy.can_manage(viewer, district):
        raise Http404("No such district.")
    current = proficiency.for_district(district)
    form = ScaleForm(
        request.POST if request.method == "POST" else None, initial={"levels": scale_text(current)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_scale(viewer, district, levels=form.cleaned_data["levels"])
        except Invalid as exc:  # beside the box, with what was typed kept
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Proficiency scale saved; exports and LMS scores use it from now on.")
            )
            return redirect("learning-district-scale", district_id=district.pk)
    context: dict[str, Any] = {"district": district, "form": form, "scale": current}
    return render(request, "learning/district_scale.html", context, status=400 if form.errors else 200)
