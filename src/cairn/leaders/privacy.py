"""The personal data leaders' tables hold (see cairn.core.privacy): only who wrote a definition or a goal,
kept for the district's history under "former staff"."""

from cairn.core.privacy import Erase, PersonalData, register

_STAFF = "kept for the district's history; shown as by “former staff” once the person is erased"

register(
    PersonalData(
        model="leaders.Definition",
        user_fields=("author",),
        holds=f"Versions of the district's definition of personalized learning you saved: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("version", "created_at"),
    ),
    PersonalData(
        model="leaders.Goal",
        user_fields=("created_by",),
        holds=f"District goals you set: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("title", "created_at"),
    ),
    PersonalData(
        model="leaders.OutsideScore",
        user_fields=("student",),
        holds="Your scores on outside tests (state tests, interim assessments) that your district imported.",
        erase=Erase.DELETE,
        export=("assessment", "subject", "period", "score", "scale"),
    ),
    PersonalData(
        model="leaders.OutsideScore",
        user_fields=("imported_by",),
        holds=f"Outside scores you imported: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("assessment", "period", "batch"),
    ),
)
register(
    PersonalData(
        model="leaders.Walkthrough",
        user_fields=("teacher",),
        holds="Classroom walkthroughs of your class: when a leader visited, the look-fors seen, and notes.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("school_id", "at", "notes"),
    ),
    PersonalData(
        model="leaders.Walkthrough",
        user_fields=("observer",),
        holds=f"Classroom walkthroughs you made: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("school_id", "at"),
    ),
    PersonalData(
        model="leaders.Demographics",
        user_fields=("student",),
        holds="Your demographics from the district's roster (lunch program, English learner, IEP or 504 "
        "plan, race and ethnicity, gender), seen by the district's leaders only, in groups of 10 or more.",
        erase=Erase.DELETE,
    ),
)
register(
    PersonalData(
        model="leaders.PathSharing",
        user_fields=("teacher",),
        holds="Whether you share your own professional-learning path beyond your principal.",
        erase=Erase.DELETE,
        export=("beyond_principal", "updated_at"),
    ),
    PersonalData(
        model="leaders.PracticeFocus",
        user_fields=("teacher",),
        holds="The teaching practice you chose to work on next.",
        erase=Erase.DELETE,
        export=("competency_id", "chosen_at"),
    ),
    PersonalData(
        model="leaders.PracticeEvidence",
        user_fields=("teacher",),
        holds="Evidence about your teaching practices, from what Cairn saw you do and from walkthroughs.",
        erase=Erase.DELETE,
        export=("competency_id", "source", "signal", "score", "at"),
    ),
)
