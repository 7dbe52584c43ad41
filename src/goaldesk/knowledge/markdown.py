"""Articles are written in a safe subset of Markdown.

markdown-it-py (CommonMark, maintained by the Executable Books project) renders with raw HTML
turned off, so "<script>" in an article is shown as text; its link validator already refuses
javascript:, vbscript: and data: URLs. The HTML is then cleaned by nh3 (the Python binding of
Ammonia, a maintained Rust sanitiser) with an allow-list of tags and attributes and only http,
https and mailto links — two layers, so a bug in one is not a hole.
"""

import nh3
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(source: str) -> str:
    """The article's Markdown as sanitised HTML (headings start at h2: the title is h1)."""
    html = _MD.render(source or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
