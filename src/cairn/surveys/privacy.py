"""The personal data surveys hold (see cairn.core.privacy). Anonymous submissions hold no person at all."""

from cairn.core.privacy import Erase, PersonalData, register

register(
    PersonalData(
        model="surveys.Taken",
        user_fields=("person",),
        holds="That you answered a survey in a window (not what you answered), so you are not asked twice.",
        erase=Erase.DELETE,
    ),
    PersonalData(
        model="surveys.Survey",
        user_fields=("author",),
        holds="The surveys you wrote for your district.",
        erase=Erase.KEEP_WITHOUT_NAME,
    ),
    PersonalData(
        model="surveys.Submission",
        user_fields=("respondent",),
        holds="Your answers to a survey your district chose not to make anonymous.",
        erase=Erase.ANONYMIZE,
    ),
)
