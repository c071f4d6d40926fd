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
    PersonalData(
        model="agency.VoiceMessage",
        user_fields=("student",),
        holds="What you asked your teacher or told them in a reflection, and when it was answered.",
        erase=Erase.DELETE,
    ),
    PersonalData(
        model="agency.VoiceMessage",
        user_fields=("resolved_by",),
        holds="Students' messages you marked as done: kept for the student, shown as by “former staff”.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("created_at", "resolved_at"),
    ),
    PersonalData(
        model="agency.VoiceReply",
        user_fields=("author",),
        holds="Your replies to students' messages: kept for the student, shown as by “former staff”.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("body", "created_at"),
    ),
    PersonalData(
        model="agency.SkillRating",
        user_fields=("student",),
        holds="Your teachers’ ratings of your learning skills (goal setting, persistence …), with notes.",
        erase=Erase.DELETE,
        export=("competency_id", "level", "note", "created_at"),
    ),
    PersonalData(
        model="agency.SkillRating",
        user_fields=("rater",),
        holds="Learning-skill ratings you gave students: kept for the student, shown as by “former staff”.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("level", "created_at"),
    ),
)
