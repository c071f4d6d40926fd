"""Today: at most five things for the teacher to do for this class, ranked by impact, each with one step.

A teacher in a personalized classroom does not need another data dump; they need to know who to go to.
Each kind of action below is found in stored state and given an impact: roughly, how many students it
helps and how much. The weights say what the research and teachers put first: a stuck student (wheel-
spinning: more practice alone won't help, Beck & Gong 2013) matters most, then students who dropped out of
sight, a group worth teaching face to face, students slipping behind their own goal, students ready to be
stretched, and content that is broken where students may meet it. Every action says why, from the data.

One finder per kind reads the class's state (through the selectors) and returns its actions; ``rank`` keeps
the most useful. A step names the page it leads to as a ``Target`` and the ids that page needs; the page or
the API turns that into a URL (cairn.insights.links), so finders know nothing about routing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cairn.accounts.models import User
from cairn.agency import autonomy_signals
from cairn.curriculum.models import Content
from cairn.engine.grouping import Group
from cairn.insights import lesson_plans, selectors
from cairn.insights.state import ClassState
from cairn.learning.models import Alert

LIMIT = 5
VOICE_SHOWN = 3  # students' messages on Today at once (the rest wait in the class voice inbox)
CHALLENGE_MASTERED = 2  # mastered this many in the last 7 days


class Kind(StrEnum):
    STUCK = "stuck"
    VOICE = "voice"  # a student asked for help or said they are stuck, in their own words
    INACTIVE = "inactive"
    GROUP = "group"
    BEHIND = "behind"
    CHALLENGE = "challenge"
    BROKEN = "broken"
    AUTONOMY = "autonomy"  # teach a learning skill to the students weak at it (cairn.agency.autonomy)


# Impact per student helped (a group's is its priority: how far its members are from mastery, stuck ones
# counting more). A stuck student outweighs a few who are doing well and could be stretched.
WEIGHTS = {
    Kind.STUCK: 4.0,
    Kind.VOICE: 3.0,
    Kind.INACTIVE: 2.0,
    # A learning skill for a small group (at most 6: 3.0) wins a tie with a content group of the same size.
    Kind.AUTONOMY: 0.5,
    Kind.GROUP: 1.0,
    Kind.BEHIND: 1.5,
    Kind.CHALLENGE: 0.75,
    Kind.BROKEN: 0.5,
}
KIND_ORDER = list(WEIGHTS)  # ties: the kind listed first wins


class Target(StrEnum):
    """The page a step posts to or opens, by its URL name; a step's ``ids`` are that URL's arguments."""

    SAVE_GROUP = "insights-group-save"  # section
    RESOLVE_ALERTS = "insights-alerts-resolve"  # section
    ASSIGN_CHALLENGES = "insights-assign-challenges"  # section
    HIDE_CONTENT = "insights-content-hide"  # section, content
    STUDENT = "insights-student"  # section, student
    GROUPS = "insights-groups"  # section
    AUTONOMY = "agency-autonomy"  # section
    VOICE_REPLY = "agency-voice-reply"  # section, message
    VOICE_DONE = "agency-voice-done"  # section, message


@dataclass(frozen=True)
class Step:
    """The one click: a form that posts ``fields`` to the target page, or (method "get") a link to it."""

    label: str
    target: Target
    ids: tuple[int, ...]
    method: str = "post"
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Action:
    kind: Kind
    title: str
    why: str
    impact: float
    students: tuple[User, ...]
    step: Step
    more: Step | None = None


def today_actions(state: ClassState, *, limit: int = LIMIT) -> list[Action]:
    """The class's actions for today, most useful first (finders in the order ties between equal titles
    have always been broken)."""
    suggestions = selectors.suggested_groups(state).groups
    stuck = _stuck_alerts(state)
    activities = selectors.teacher_led_activities(
        state.section, {*stuck, *(g.competency for g in suggestions)}
    )
    idle = _idle_students(state)
    candidates = [
        *_stuck_actions(state, stuck, activities),
        *_voice_actions(state),
        *_inactive_actions(state, idle),
        *_behind_actions(state, exclude={s.pk for s in idle}),
        *_challenge_actions(state),
        *_group_actions(state, suggestions, stuck, activities),
        *_broken_content_actions(state),
        *_autonomy_actions(state, exclude={s.pk for s in idle}),
    ]
    return rank(candidates, limit)


def rank(candidates: list[Action], limit: int = LIMIT) -> list[Action]:
    """The ``limit`` actions with the most impact; ties go to the more urgent kind, then the title."""
    return sorted(candidates, key=lambda a: (-a.impact, KIND_ORDER.index(a.kind), a.title))[:limit]


# ------------------------------------------------------------------------------------------- finders
def _stuck_alerts(state: ClassState) -> dict[str, list[Alert]]:
    """Open wheel-spinning alerts by competency code, oldest first."""
    stuck: dict[str, list[Alert]] = defaultdict(list)
    for alert in state.alerts:
        if alert.kind == Alert.Kind.WHEEL_SPINNING and alert.competency is not None:
            stuck[alert.competency.code].append(alert)
    for alerts in stuck.values():
        alerts.sort(key=lambda a: a.created_at)
    return stuck


def _stuck_actions(
    state: ClassState, stuck: dict[str, list[Alert]], activities: dict[str, Content]
) -> list[Action]:
    """One action per competency with stuck students: two or more make a group, one gets looked at."""
    student_of = {s.pk: s for s in state.students}
    actions = []
    for code, alerts in stuck.items():
        students = list({a.student_id: student_of[a.student_id] for a in alerts}.values())
        competency = state.by_code.get(code)
        tries = [state.cell(s.pk, competency.pk).attempts if competency else 0 for s in students]
        why = _(
            "%(names)s: %(tries)s tries on %(code)s without getting closer to mastery (since %(day)s). "
            "More practice alone won't help."
        ) % {
            "names": _names(students),
            "tries": ", ".join(str(t) for t in tries),
            "code": code,
            "day": _day(alerts[0].created_at),
        }
        resolve = Step(
            _("Mark as seen to"),
            Target.RESOLVE_ALERTS,
            (state.section.pk,),
            fields=tuple(("alert", str(a.pk)) for a in alerts),
        )
        if len(students) >= 2 and competency is not None:
            activity = activities.get(code)
            fields = [*_students_fields(students), ("competency", str(competency.pk))]
            if activity:
                fields.append(("activity", str(activity.pk)))
                why += " " + _("Mini-lesson: “%(title)s”.") % {"title": activity.title}
            label = _("Pull the %(n)d as a group") % {"n": len(students)}
            step = Step(label, Target.SAVE_GROUP, (state.section.pk,), fields=tuple(fields))
        else:
            student = students[0]
            label = _("Open %(name)s's work") % {"name": student.display_name}
            step = Step(label, Target.STUDENT, (state.section.pk, student.pk), method="get")
        actions.append(
            Action(
                kind=Kind.STUCK,
                title=ngettext("Stuck on %(code)s", "%(n)d stuck on %(code)s", len(students))
                % {"n": len(students), "code": code},
                why=why,
                impact=WEIGHTS[Kind.STUCK] * len(students) + sum(tries) / 100,
                students=tuple(students),
                step=step,
                more=resolve,
            )
        )
    return actions


def _voice_actions(state: ClassState) -> list[Action]:
    """Each message waiting for the teacher (the longest waiting first, at most VOICE_SHOWN), with the
    student's words; replying or marking it done takes it off."""
    actions = []
    for message in state.voice[:VOICE_SHOWN]:
        name = message.student.display_name
        if message.body:
            short = Truncator(message.body).chars(60)
            title = _("%(name)s asked: “%(words)s”") % {"name": name, "words": short}
            why = _("“%(words)s” (%(day)s). A reply shows on %(name)s's home page.") % {
                "words": message.body,
                "day": _day(message.created_at),
                "name": name,
            }
        else:
            feeling = message.reflection.get_feeling_display() if message.reflection else ""
            title = _("%(name)s felt %(feeling)s") % {"name": name, "feeling": str(feeling).lower()}
            why = _("Their reflection (%(day)s) says so, without words. A word from you may help.") % {
                "day": _day(message.created_at)
            }
        section = state.section.pk
        waited = (timezone.now() - message.created_at).total_seconds() / 86400
        actions.append(
            Action(
                kind=Kind.VOICE,
                title=title,
                why=why,
                impact=WEIGHTS[Kind.VOICE] + min(waited, 30) / 100,
                students=(message.student,),
                step=Step(_("Reply"), Target.VOICE_REPLY, (section, message.pk), method="get"),
                more=Step(_("Mark as done"), Target.VOICE_DONE, (section, message.pk)),
            )
        )
    return actions


def _idle_students(state: ClassState) -> list[User]:
    """Students with nothing done for INACTIVE_SCHOOL_DAYS school days."""
    since = selectors.school_days_before(state.today, selectors.INACTIVE_SCHOOL_DAYS)
    cutoff = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    return [s for s in state.students if _idle(state.summaries[s.pk].last_active, cutoff)]


def _idle(last_active: dt.datetime | None, cutoff: dt.datetime) -> bool:
    return last_active is None or last_active < cutoff


def _inactive_actions(state: ClassState, idle: list[User]) -> list[Action]:
    if not idle:
        return []
    last = "; ".join(f"{s.display_name}: {_day(state.summaries[s.pk].last_active)}" for s in idle[:6])
    return [
        Action(
            kind=Kind.INACTIVE,
            title=ngettext("Not active for a week", "%(n)d not active for a week", len(idle))
            % {"n": len(idle)},
            why=_("No practice or activity in the last %(days)d school days. Last active — %(last)s.")
            % {"days": selectors.INACTIVE_SCHOOL_DAYS, "last": last + ("…" if len(idle) > 6 else "")},
            impact=WEIGHTS[Kind.INACTIVE] * len(idle),
            students=tuple(idle),
            step=Step(
                _("Make a check-in group"),
                Target.SAVE_GROUP,
                (state.section.pk,),
                fields=(*_students_fields(idle), ("name", _("Check-in: not active lately"))),
            ),
        )
    ]


def _behind_actions(state: ClassState, *, exclude: set[int]) -> list[Action]:
    """Students behind their own goal this week (those with a goal; idle ones are listed already)."""
    paces = selectors.class_pace(state.students, state.today)
    behind = [
        (s, paces[s.pk].summary)
        for s in state.students
        if s.pk in paces and s.pk not in exclude and not paces[s.pk].on_track
    ]
    if not behind:
        return []
    students = [s for s, _ in behind]
    return [
        Action(
            kind=Kind.BEHIND,
            title=ngettext("Behind their goal", "%(n)d behind their weekly goal", len(behind))
            % {"n": len(behind)},
            why=_list_of(f"{s.display_name}: {msg}" for s, msg in behind),
            impact=WEIGHTS[Kind.BEHIND] * len(behind),
            students=tuple(students),
            step=Step(
                _("Make a goal check-in group"),
                Target.SAVE_GROUP,
                (state.section.pk,),
                fields=(*_students_fields(students), ("name", _("Goal check-in"))),
            ),
        )
    ]


def _challenge_actions(state: ClassState) -> list[Action]:
    """Students ready for a challenge: mastering quickly, not stuck, and something new is open."""
    flying = []
    for s in state.students:
        summary = state.summaries[s.pk]
        if summary.mastered_this_week >= CHALLENGE_MASTERED and not summary.stuck:
            nxt = selectors.challenge_step(state, s.pk)
            if nxt is not None:
                flying.append((s, summary.mastered_this_week, nxt))
    if not flying:
        return []
    students = [s for s, _, _ in flying]
    return [
        Action(
            kind=Kind.CHALLENGE,
            title=ngettext("Ready for a challenge", "%(n)d ready for a challenge", len(flying))
            % {"n": len(flying)},
            why=_list_of(
                _("%(name)s mastered %(n)d this week, %(code)s is next")
                % {"name": s.display_name, "n": n, "code": c.code}
                for s, n, c in flying
            ),
            impact=WEIGHTS[Kind.CHALLENGE] * len(flying),
            students=tuple(students),
            step=Step(
                _("Assign each their next competency"),
                Target.ASSIGN_CHALLENGES,
                (state.section.pk,),
                fields=(*_students_fields(students), ("reason", _("Ready for a challenge (from Today)"))),
            ),
        )
    ]


def _group_actions(
    state: ClassState,
    suggestions: Sequence[Group],
    stuck: dict[str, list[Alert]],
    activities: dict[str, Content],
) -> list[Action]:
    """A small group to pull: the best suggestion not already covered by a stuck group or a saved group."""
    stuck_students = {a.student_id for alerts in stuck.values() for a in alerts}
    saved = lesson_plans.open_group_members(state.section)
    for group in suggestions:
        competency = state.by_code[group.competency]
        members = set(group.students)
        if group.competency in stuck and members & stuck_students:
            continue
        if any(cid == competency.pk and len(members & ids) * 2 >= len(members) for cid, ids in saved):
            continue
        return [_group_action(state, group, activities.get(group.competency))]
    return []


def _group_action(state: ClassState, group: Group, activity: Content | None) -> Action:
    student_of = {s.pk: s for s in state.students}
    students = [student_of[i] for i in group.students]
    fields = [*_students_fields(students), ("competency", str(state.by_code[group.competency].pk))]
    where = (
        ngettext(
            "mean mastery %(mean)d%% for the %(n)d who has started",
            "mean mastery %(mean)d%% for the %(n)d who have started",
            group.started,
        )
        % {"mean": round(group.mean_mastery * 100), "n": group.started}
        if group.started
        else _("nobody has started it yet")
    )
    stuck_note = "; " + _("%(n)d stuck") % {"n": group.spinning} if group.spinning else ""
    why = _("%(names)s all need %(code)s next (%(where)s).") % {
        "names": _names(students),
        "code": group.competency,
        "where": where + stuck_note,
    }
    if activity is not None:
        fields.append(("activity", str(activity.pk)))
        why += " " + (
            _("Mini-lesson: “%(title)s” (%(minutes)d min).")
            % {"title": activity.title, "minutes": activity.estimated_minutes}
            if activity.estimated_minutes
            else _("Mini-lesson: “%(title)s”.") % {"title": activity.title}
        )
    else:
        why += " " + _("No teacher-led activity for it in the library yet.")
    section = (state.section.pk,)
    return Action(
        kind=Kind.GROUP,
        title=_("Pull a group of %(n)d for %(code)s") % {"n": len(students), "code": group.competency},
        why=why,
        impact=WEIGHTS[Kind.GROUP] * group.priority,
        students=tuple(students),
        step=Step(_("Save this group"), Target.SAVE_GROUP, section, fields=tuple(fields)),
        more=Step(_("See all suggested groups"), Target.GROUPS, section, "get"),
    )


def _broken_content_actions(state: ClassState) -> list[Action]:
    """The broken content most students may meet, if any."""
    return [
        Action(
            kind=Kind.BROKEN,
            title=_("Broken link: %(title)s") % {"title": content.title},
            why=_(
                "The link check found “%(title)s” broken; %(n)d of your students have it on offer "
                "(%(codes)s)."
            )
            % {
                "title": content.title,
                "n": len(students),
                "codes": ", ".join(c.code for c in content.competencies.all()),
            },
            impact=WEIGHTS[Kind.BROKEN] * min(len(students), 10),
            students=tuple(students),
            step=Step(_("Hide it for this class"), Target.HIDE_CONTENT, (state.section.pk, content.pk)),
        )
        for content, students in selectors.broken_content(state)[:1]
    ]


def _autonomy_actions(state: ClassState, *, exclude: set[int]) -> list[Action]:
    """Teach one learning skill to a small group: the skill most students are at level 1-2 on (3 or more)."""
    if not autonomy_signals.skill_competencies():  # the framework is not installed here
        return []
    active = [s for s in state.students if s.pk not in exclude]  # idle ones get a check-in already
    found = autonomy_signals.small_group(autonomy_signals.class_skills(active, state.today))
    if found is None:
        return []
    skill, students = found
    section, name = (state.section.pk,), skill.name.lower()
    return [
        Action(
            kind=Kind.AUTONOMY,
            title=_("Teach %(skill)s to %(names)s") % {"skill": name, "names": _names(students)},
            why=_("%(count)d students are at level 1 or 2 in %(skill)s, from what Cairn sees in their work.")
            % {"count": len(students), "skill": name},
            impact=WEIGHTS[Kind.AUTONOMY] * len(students),
            students=tuple(students),
            step=Step(
                _("Save this group"),
                Target.SAVE_GROUP,
                section,
                fields=(*_students_fields(students), ("name", _("Mini-lesson: %(skill)s") % {"skill": name})),
            ),
            more=Step(_("See the class's learning skills"), Target.AUTONOMY, section, "get"),
        )
    ]


# ------------------------------------------------------------------------------------------- wording
def _names(students: Sequence[User], limit: int = 4) -> str:
    names = [s.display_name for s in students]
    if len(names) > limit:
        return _("%(names)s and %(n)d more") % {"names": ", ".join(names[:limit]), "n": len(names) - limit}
    if len(names) > 1:
        return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    return names[0] if names else ""


def _list_of(parts: Iterable[str], limit: int = 4) -> str:
    """The first ``limit`` parts joined, and how many more, as a sentence."""
    items = list(parts)
    if len(items) > limit:
        return _("%(items)s; and %(n)d more.") % {"items": "; ".join(items[:limit]), "n": len(items) - limit}
    return "; ".join(items[:limit]) + "."


def _students_fields(students: Sequence[User]) -> tuple[tuple[str, str], ...]:
    return tuple(("student", str(s.pk)) for s in students)


def _day(when: dt.datetime | None) -> str:
    if when is None:
        return _("never")
    return date_format(timezone.localtime(when), "D j M")
