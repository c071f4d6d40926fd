"""The personal data accounts holds (see cairn.core.privacy): the person, their roles, classes, guardians
and API tokens."""

from cairn.core.privacy import Erase, PersonalData, register

register(
    PersonalData(
        model="accounts.User",
        user_fields=("id",),
        holds="Your account: username, name, email, grade, when you joined and last signed in.",
        erase=Erase.ACCOUNT,
        export=(
            "username",
            "first_name",
            "last_name",
            "preferred_name",
            "email",
            "grade",
            "date_joined",
            "last_login",
            "is_active",
        ),
    ),
    PersonalData(
        model="accounts.RoleAssignment",
        user_fields=("user",),
        holds="Your roles (student, teacher, ...) and the school or district each is for.",
        erase=Erase.DELETE,
        export=("role", "school", "district"),
    ),
    PersonalData(
        model="accounts.Enrolment",
        user_fields=("user",),
        holds="The classes you were in or taught, with the dates.",
        erase=Erase.DELETE,
        export=("section", "kind", "start_date", "end_date"),
    ),
    PersonalData(
        model="accounts.GuardianLink",
        user_fields=("guardian", "student"),
        holds="Who is linked as your guardian, or whose guardian you are.",
        erase=Erase.DELETE,
        export=("guardian", "student", "relationship"),
    ),
    PersonalData(
        model="accounts.ApiToken",
        user_fields=("user",),
        holds="Your API tokens' names and dates (never the token itself).",
        erase=Erase.DELETE,
        export=("name", "created_at", "expires_at", "last_used_at", "revoked_at"),
    ),
    PersonalData(
        model="accounts.SignInFailure",
        user_fields=("username",),
        holds="Wrong passwords typed for your username in the last day (when, from where), which slow "
        "the next tries.",
        erase=Erase.DELETE,
        by_username=True,
        export=("at", "address"),
    ),
    PersonalData(
        model="accounts.RosterImport",
        user_fields=("by",),
        holds="Roster imports you ran for your district (when, which file, what it did).",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("created_at", "source_name", "dry_run", "status"),
    ),
)
