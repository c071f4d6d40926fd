"""The personal data curriculum holds (see cairn.core.privacy): what staff wrote and decided (content,
questions, reviews, section choices), kept under "former staff" when they leave, and notices to them."""

from cairn.core.privacy import Erase, PersonalData, register

_AUTHORED = "kept for the library and its history; shown as by “former staff” once the author is erased"

register(
    PersonalData(
        model="curriculum.Content",
        user_fields=("owner",),
        holds=f"Content you own (lessons, links, activities): {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("identifier", "title", "kind", "url", "scope", "status", "created_at", "updated_at"),
    ),
    PersonalData(
        model="curriculum.Item",
        user_fields=("owner",),
        holds=f"Questions you wrote: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("identifier", "kind", "title", "status", "created_at"),
    ),
    PersonalData(
        model="curriculum.Review",
        user_fields=("reviewer",),
        holds=f"Your reviews of content: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("content", "decision", "comment", "created_at"),
    ),
    PersonalData(
        model="curriculum.ItemReview",
        user_fields=("reviewer",),
        holds=f"Your reviews of questions: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("item", "decision", "comment", "created_at"),
    ),
    PersonalData(
        model="curriculum.ContentVersion",
        user_fields=("author", "reviewed_by"),
        holds=f"Versions of content you wrote or decided on: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("content", "number", "status", "summary", "created_at", "reviewed_at", "note"),
    ),
    PersonalData(
        model="curriculum.ItemVersion",
        user_fields=("author", "reviewed_by"),
        holds=f"Versions of questions you wrote or decided on: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("item", "number", "status", "summary", "created_at", "reviewed_at", "note"),
    ),
    PersonalData(
        model="curriculum.SectionContent",
        user_fields=("set_by",),
        holds=f"Content you hid or replaced for a class: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("section", "content", "action", "replacement", "created_at"),
    ),
    PersonalData(
        model="curriculum.Competency",
        user_fields=("student_statement_by",),
        holds=f"Student statements (“I can …”) you wrote for standards: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("code", "student_statement", "student_statement_at"),
    ),
    PersonalData(
        model="curriculum.Adoption",
        user_fields=("adopted_by",),
        holds=f"Content and questions you adopted from another district for yours: {_AUTHORED}.",
        erase=Erase.KEEP_WITHOUT_NAME,
        export=("district", "content", "item", "created_at"),
    ),
    PersonalData(
        model="curriculum.ContentNotice",
        user_fields=("recipient",),
        holds="Notices sent to you about your content (a broken link, a review's decision).",
        erase=Erase.DELETE,
        export=("content", "message", "created_at", "read_at"),
    ),
)
