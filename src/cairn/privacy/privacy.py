"""The personal data the privacy app holds, and that of the Django and sign-in libraries Cairn installs
(see cairn.core.privacy): they have no app of ours to declare them, so the top app does."""

from cairn.core.privacy import Erase, PersonalData, register

_STAFF = "kept as the district's record; shown as by “former staff” once that admin is erased"

register(
    PersonalData(
        model="privacy.PrivacyRequest",
        user_fields=("student",),
        holds="Requests your family made about your data (what, when); who asked is emptied on erasure.",
        erase=Erase.ANONYMIZE,
        scrub=("requester",),
        export=("kind", "requester", "asked_on", "status", "fulfilled_at"),
    ),
    PersonalData(
        model="privacy.PrivacyRequest",
        user_fields=("logged_by", "approved_by", "fulfilled_by"),
        holds=f"Families' requests you logged, approved or fulfilled: {_STAFF}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("kind", "asked_on", "status"),
    ),
    PersonalData(
        model="admin.LogEntry",
        user_fields=("user",),
        holds="Changes you made in the Django admin (platform staff only).",
        erase=Erase.DELETE,
        export=("action_time", "content_type", "object_repr", "action_flag", "change_message"),
    ),
    PersonalData(
        model="otp_totp.TOTPDevice",
        user_fields=("user",),
        holds="Your two-step sign-in app: its name and when it was added and last used (never its secret).",
        erase=Erase.DELETE,
        export=("name", "confirmed", "created_at", "last_used_at"),
    ),
    PersonalData(
        model="otp_static.StaticDevice",
        user_fields=("user",),
        holds="Your recovery codes for two-step sign-in: only that you have them (never the codes).",
        erase=Erase.DELETE,
        export=("name", "confirmed", "created_at", "last_used_at"),
    ),
    PersonalData(
        model="axes.AccessAttempt",
        user_fields=("username",),
        holds="Failed sign-ins to your account still counting toward the sign-in delay.",
        erase=Erase.DELETE,
        by_username=True,
        export=("attempt_time", "ip_address", "failures_since_start"),
    ),
    PersonalData(
        model="axes.AccessFailureLog",
        user_fields=("username",),
        holds="Failed sign-ins to your account: when and from which address.",
        erase=Erase.DELETE,
        by_username=True,
        export=("attempt_time", "ip_address", "locked_out"),
    ),
    PersonalData(
        model="axes.AccessLog",
        user_fields=("username",),
        holds="Your sign-ins and sign-outs: when and from which address.",
        erase=Erase.DELETE,
        by_username=True,
        export=("attempt_time", "logout_time", "ip_address"),
    ),
)
