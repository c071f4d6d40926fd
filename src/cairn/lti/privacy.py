"""The personal data the LMS link holds (see cairn.core.privacy): who a person is on each LMS, and what
django-lti keeps about them from launches (name, email, picture URL as the LMS sent them)."""

from cairn.core.privacy import Erase, PersonalData, register

register(
    PersonalData(
        model="cairn_lti.LtiIdentity",
        user_fields=("user",),
        holds="Which LMS accounts are yours (the LMS's address and its id for you), and your last launch.",
        erase=Erase.DELETE,
        export=("issuer", "subject", "created_at", "last_launch_at"),
    ),
    PersonalData(
        model="lti_tool.LtiUser",
        user_fields=("auth_user",),
        holds="What your LMS told Cairn about you at launch: your id there, name, email and picture address.",
        erase=Erase.DELETE,
        export=("sub", "given_name", "family_name", "name", "email", "picture_url", "datetime_created"),
    ),
)
