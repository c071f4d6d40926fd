"""Teacher- and import-supplied HTML is cleaned here, at the service boundary, before it is stored."""

from __future__ import annotations

import nh3

TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "img",
    "figure",
    "figcaption",
    "span",
    "div",
    "math",
    "mi",
    "mn",
    "mo",
    "mfrac",
    "mrow",
    "msup",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope"},
    "td": {"colspan"},
}


def clean_html(value: str) -> str:
    """Allow a small set of formatting tags; drop scripts, styles, event handlers and javascript: URLs."""
    return nh3.clean(
        value,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
