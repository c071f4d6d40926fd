"""How the library words a refused input: the field's name leads the message, as its API and pages have
always shown it ("url: Give a link or write the activity."), while ``fields`` keeps the bare message so a
form can show it beside the field (``cairn.core.middleware.add_to_form``)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError

from cairn.core.errors import Invalid


def invalid(field: str, message: str) -> Invalid:
    """One bad input."""
    return Invalid(f"{field}: {message}", field=field, fields={field: message})


def invalid_fields(problems: Mapping[str, str]) -> Invalid:
    """Several bad inputs at once, in one message (one field alone reads as ``invalid`` does)."""
    if len(problems) == 1:
        [(field, message)] = problems.items()
        return invalid(field, message)
    return Invalid("; ".join(f"{field}: {message}" for field, message in problems.items()), fields=problems)


def from_model_validation(exc: ValidationError) -> Invalid:
    """A model's own ``full_clean`` refusal (a malformed URL, a value too long), in the library's words."""
    return invalid_fields({name: " ".join(messages) for name, messages in exc.message_dict.items()})
