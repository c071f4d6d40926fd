"""The personal data xAPI holds (see cairn.core.privacy): statements about a student, on their way to the
district's LRS or received from another tool. Both name the student (their account or email) in the
statement itself, so erasing the student deletes them; evidence they already gave stays in the learner
model, which learning anonymizes."""

from cairn.core.privacy import Erase, PersonalData, register

register(
    PersonalData(
        model="xapi.OutboxStatement",
        user_fields=("student",),
        holds="What you did in Cairn (answers, masteries, activities, diagnostics) as xAPI statements for "
        "your district's learning record store, kept here until it received them.",
        erase=Erase.DELETE,
        export=("id", "statement", "created", "sent_at"),
    ),
    PersonalData(
        model="xapi.Statement",
        user_fields=("student",),
        holds="What another learning tool your district uses said you did (xAPI statements), and the "
        "evidence it gave on a competency.",
        erase=Erase.DELETE,
        export=("id", "statement", "stored", "voided", "evidence"),
    ),
)
