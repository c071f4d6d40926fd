"""The personal data agency holds (see cairn.core.privacy): a student's own goals and reflections."""

from cairn.core.privacy import Erase, PersonalData, register

register(
    PersonalData(
        model="agency.WeeklyGoal",
        user_fields=("student",),
        holds="Your weekly goals, in your words, and how far you got.",
        erase=Erase.DELETE,
    ),
    PersonalData(
        model="agency.Reflection",
        user_fields=("student",),
        holds="Your reflections: how you felt, what you learned, what you will do next, what you asked.",
        erase=Erase.DELETE,
    ),
)
