"""District and school reports for a board meeting, as CSV and PDF: the definition, the goals with on/off
track and the reasons, evidence of effect (with what the comparison is and that it is not a randomized
trial), survey scales with alpha and n, fidelity indicators and the gaps between student groups.

``build`` gathers the figures (stored ones where the pages read stored ones; the effect, the survey scales
and the fidelity indicators are computed once for the report); ``csv_rows`` flattens them; the PDF is the
report's HTML (``leaders/report.html``) through WeasyPrint, tagged for accessibility (PDF/UA-1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils.translation import gettext as _

from cairn.accounts.models import District, School
from cairn.engine.program import NotEnoughData
from cairn.leaders import effect, equity, measures, track
from cairn.leaders.models import Definition, OutsideScore
from cairn.leaders.selectors import current_definition
from cairn.surveys.models import Survey, SurveyWindow
from cairn.surveys.results import ScaleResult, scale_results

FIDELITY = (
    "small_groups_per_week",
    "alerts_seen_to",
    "station_plans_per_week",
    "screen_time_balance",
    "teacher_active_days",
    "lookfors_seen",
    "goals_set",
)
SURVEY_WINDOWS = 4


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    value: float | None
    shown: str
    n: int


@dataclass(frozen=True)
class SurveyBlock:
    window: SurveyWindow
    scales: list[ScaleResult]


@dataclass
class Report:
    district: District
    school: School | None
    today: dt.date
    definition: Definition | None
    board: track.Board
    evidence: effect.Evidence | None = None
    evidence_note: str = ""
    surveys: list[SurveyBlock] = field(default_factory=list)
    fidelity: list[Indicator] = field(default_factory=list)
    gaps: list[equity.GapOverTime] = field(default_factory=list)
    unbroken: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        name = self.school.name if self.school else self.district.name
        return _("%(name)s: personalized learning report") % {"name": name}


def build(district: District, school: School | None, today: dt.date) -> Report:
    schools = [school] if school else list(district.schools.filter(active=True).order_by("name"))
    report = Report(
        district, school, today, current_definition(district), track.board(district, schools, today)
    )
    report.evidence, report.evidence_note = _evidence(district, school)
    report.surveys = _surveys(district, school)
    report.fidelity = _fidelity(district, school, today)
    report.gaps = equity.gaps(district, school)
    report.unbroken = equity.unbroken_measures(district)
    return report


def _evidence(district: District, school: School | None) -> tuple[effect.Evidence | None, str]:
    """The program against the schools not yet in it, on the first and last window of the outside test
    with the most windows; a note in words when there is not enough to compare."""
    rows = (
        OutsideScore.objects.filter(district=district)
        .values("assessment", "period")
        .annotate(first=Min("on"))
        .order_by("assessment", "first", "period")
    )
    windows: dict[str, list[str]] = {}
    for row in rows:
        windows.setdefault(row["assessment"], []).append(row["period"])
    usable = sorted((w for w in windows.items() if len(w[1]) > 1), key=lambda w: -len(w[1]))
    if not usable:
        return None, _("No outside test with a baseline and a later window yet.")
    assessment, periods = usable[0]
    try:
        found = effect.evidence(
            district=district,
            school=school,
            baseline=effect.Test(assessment, periods[0]),
            outcome=effect.Test(assessment, periods[-1]),
            comparison="not_in_program",
        )
    except NotEnoughData as exc:
        return None, _("Not enough data to compare: %(why)s.") % {"why": exc}
    return found, ""


def _surveys(district: District, school: School | None) -> list[SurveyBlock]:
    windows = (
        SurveyWindow.objects.filter(survey__district=district, survey__kind=Survey.Kind.SURVEY, section=None)
        .select_related("survey")
        .order_by("-opens", "name")[:SURVEY_WINDOWS]
    )
    blocks = [SurveyBlock(w, scale_results(w, school=school)) for w in windows]
    return [b for b in reversed(blocks) if b.scales]


def _fidelity(district: District, school: School | None, today: dt.date) -> list[Indicator]:
    found = []
    for key in FIDELITY:
        measure = measures.get(key)
        if measure is None:
            continue
        value = measure.value(district, school, today, {})
        found.append(
            Indicator(key, measure.label, value.value, track.fmt(value.value, measure.unit), value.n)
        )
    return found


# --- CSV -------------------------------------------------------------------------------------------------

HEADER = ("section", "school", "item", "group", "value", "n", "low", "high", "note")


def _num(value: float | None, places: int = 2) -> float | None:
    """A figure as a number (a text "-0.5" would be escaped as a would-be formula), blank when None."""
    return None if value is None else round(value, places)


def csv_rows(report: Report) -> Iterator[tuple[object, ...]]:
    """One table, a row per figure; ``section`` says what it is. Suppressed figures have no value and say
    so in ``note``."""
    yield HEADER
    yield from _goal_rows(report)
    yield from _evidence_rows(report)
    for ind in report.fidelity:
        yield ("fidelity", _where(report), ind.label, "", _num(ind.value), ind.n, "", "", "")
    for block in report.surveys:
        for s in block.scales:
            note = s.reason or (_("alpha %(alpha).2f") % {"alpha": s.alpha} if s.alpha is not None else "")
            item = f"{block.window.survey.title} — {block.window.name}: {s.scale}"
            yield ("survey scale", _where(report), item, "", _num(s.mean), s.n, "", "", note)
    yield from _gap_rows(report)


def _where(report: Report) -> str:
    return report.school.name if report.school else _("Whole district")


def _goal_rows(report: Report) -> Iterator[tuple[object, ...]]:
    places = [(_("Whole district"), report.board.district_row)] if report.school is None else []
    places += [(school.name, cells) for school, cells in report.board.rows]
    for name, cells in places:
        for cell in cells:
            t = cell.trajectory
            mark = {"on": _("On track"), "off": _("Off track")}.get(cell.status)
            note = f"{mark}: {cell.reason}" if mark else cell.reason
            yield (
                "goal",
                name,
                cell.goal.title,
                "",
                _num(t.latest),
                cell.n,
                "",
                _num(cell.target),
                note,
            )


def _evidence_rows(report: Report) -> Iterator[tuple[object, ...]]:
    ev = report.evidence
    if ev is None:
        yield ("effect", _where(report), "", "", "", "", "", "", report.evidence_note)
        return
    compared = _("%(outcome)s after %(baseline)s; compared with %(described)s.")
    note = compared % {"outcome": ev.outcome, "baseline": ev.baseline, "described": ev.described}
    note = f"{note} {ev.caveat}"
    g, adj = ev.growth, ev.adjusted
    place = _where(report)
    yield ("effect", place, _("Hedges' g on growth"), "", _num(g.g), f"{g.n_treatment}+{g.n_comparison}",
           _num(g.ci_low), _num(g.ci_high), note)  # fmt: skip
    yield ("effect", place, _("Adjusted difference (points)"), "", _num(adj.difference),
           f"{adj.n_treatment}+{adj.n_comparison}", _num(adj.ci_low), _num(adj.ci_high), note)  # fmt: skip
    for group in (ev.treatment, ev.control):
        yield ("effect", place, _("Mean growth"), group.label, _num(group.growth_mean), group.n,
               _num(group.growth_low), _num(group.growth_high), "")  # fmt: skip


def _gap_rows(report: Report) -> Iterator[tuple[object, ...]]:
    for found in report.gaps:
        day = found.gaps[-1][0]
        item = f"{found.goal.title} — {found.label} ({day.isoformat()})"
        for line in found.lines:
            _day, value, n = line.latest
            note = _("fewer than %(min)s") % {"min": equity.MIN_GROUP} if value is None else ""
            yield ("equity", _where(report), item, line.group, _num(value), n, "", "", note)
        yield ("equity gap", _where(report), item, "", _num(found.last_gap), "", "", "",
               _("first stored gap %(gap)s") % {"gap": _num(found.first_gap)})  # fmt: skip


# --- PDF -------------------------------------------------------------------------------------------------


def pdf_from_html(html: str, base_url: str) -> bytes:
    """The report's HTML as a tagged PDF (PDF/UA-1: headings, tables and figures' alternative text kept)."""
    import weasyprint  # loaded on first use: it pulls in Pango, which the pages need not load

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
