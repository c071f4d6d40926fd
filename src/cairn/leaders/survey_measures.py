"""The survey measure a goal can name (registered with ``cairn.leaders.measures``): a survey scale's score
in its latest window, on 0–100 (1 → 0, 5 → 100) so a goal reads "engagement survey +10 points". Groups under
the survey engine's minimum (5 respondents) have no figure: the value is None, with their n."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cairn.accounts.models import District, School
from cairn.leaders.measures import Measure, Value, register
from cairn.surveys.models import SurveyWindow
from cairn.surveys.results import scale_results


def survey_scale_score(
    district: District, school: School | None, on: dt.date, params: Mapping[str, Any]
) -> Value:
    try:
        survey_id = int(params.get("survey_id") or 0)
    except (TypeError, ValueError):
        return Value(None, 0)
    window = (
        SurveyWindow.objects.filter(survey_id=survey_id, survey__district=district, opens__lte=on)
        .select_related("survey")
        .order_by("-opens")
        .first()
    )
    if window is None:
        return Value(None, 0)
    wanted = str(params.get("scale") or "")
    for result in scale_results(window, school=school):
        if wanted in ("", result.scale):
            if result.suppressed or result.mean is None:
                return Value(None, result.n)
            return Value(round((result.mean - 1) / 4 * 100, 1), result.n)
    return Value(None, 0)


register(
    Measure(
        key="survey_scale",
        label="Survey scale score (0–100)",
        unit="points",
        compute=survey_scale_score,
        params=("survey_id", "scale"),
        help="A survey scale's mean in its latest window, on 0–100; none when fewer than 5 answered.",
        advice="Read the survey's questions with the school's staff and ask students what would change them.",
    )
)
