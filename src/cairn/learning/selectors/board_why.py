"""The board's "why this" line in the student's language. The engine (which never imports Django) says why as
data, a reason and its detail (:attr:`cairn.engine.recommend.Recommendation.reason`); this module words it.
Whole sentences per reason and detail, never pieces put together, so each translates naturally."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cairn.engine.recommend import Recommendation

_WHY = {
    "teacher": _("Your teacher assigned this."),
    "review": _("Time to review: a quick check keeps it fresh."),
    "gain": _("You're close to mastering this; it's the next step."),
    "gain_progress": _("You're making progress here; this moves you toward mastery."),
    "gain_start": _("Ready for you: a good place to start."),
    "challenge": _("Just the right challenge: you'll get most of these right."),
    "centrality": _("This opens several other topics."),
    "variety_when_stuck": _("A different way in, since practice alone hasn't clicked yet."),
    "novelty": _("Something different from what you did last."),
    "language": _("In your language."),
    "reading": _("Written at a comfortable reading level."),
    "accessibility": _("Has the supports you use."),
    "preference": _("The kind of activity you like."),
}
_LANGUAGE = {"es": _("In Spanish, your language."), "en": _("In English, your language.")}
_NEED = {
    "read_aloud": _("Read aloud, as in your plan."),
    "captions": _("With captions, as in your plan."),
    "transcript": _("With a transcript, as in your plan."),
}
_KIND = {
    "video": _("A video: the way you like to learn."),
    "reading": _("A reading: the way you like to learn."),
    "interactive": _("Something interactive: the way you like to learn."),
    "project": _("A project: the way you like to learn."),
    "offline": _("Hands-on, away from the screen: the way you like to learn."),
    "practice": _("Practice questions: the way you like to learn."),
}
_BY_DETAIL = {"language": _LANGUAGE, "accessibility": _NEED, "preference": _KIND}


def why(rec: Recommendation) -> str:
    """The line the student reads; the engine's English when it gives a reason this module doesn't know."""
    worded = _BY_DETAIL.get(rec.reason, {}).get(rec.detail) or _WHY.get(rec.reason)
    return str(worded) if worded is not None else rec.why
