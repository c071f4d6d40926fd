"""The personal data families holds (see cairn.core.privacy): a guardian's digest choices and the digests
sent, and teachers' notes to a student's family."""

from cairn.core.privacy import Erase, PersonalData, register

register(
    PersonalData(
        model="families.DigestPreference",
        user_fields=("guardian",),
        holds="How often you want the weekly email about your child, or that you opted out.",
        erase=Erase.DELETE,
        export=("frequency", "opted_out_at", "updated_at"),
    ),
    PersonalData(
        model="families.DigestSent",
        user_fields=("guardian",),
        holds="The weekly emails Cairn sent you: the week and the language.",
        erase=Erase.DELETE,
        export=("week_start", "language", "sent_at"),
    ),
    PersonalData(
        model="families.TeacherNote",
        user_fields=("student",),
        holds="Notes your teachers wrote to your family.",
        erase=Erase.DELETE,
        export=("body", "created_at"),
    ),
    PersonalData(
        model="families.TeacherNote",
        user_fields=("author",),
        holds="Notes you wrote to students' families: kept for the family, shown as by “former staff”.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("created_at",),
    ),
)
