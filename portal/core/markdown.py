"""Markdown to safe HTML: the only place in the portal that turns user text into Markup.

markdown-it-py parses with raw HTML off, then nh3 (Rust ammonia) cleans the result against a
short allow-list. Either layer alone would stop the usual payloads; both together mean a parser
bug or a sanitiser bug is not enough on its own to put script on a page.
"""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

#: Longest text rendered; the forms refuse longer text, the renderer only truncates.
MAX_MARKDOWN_LENGTH = 100_000
#: The page owns <h1> and section <h2>s; a Markdown "#" inside the body becomes <h3>.
HEADING_SHIFT = 2

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
# No style (the CSP forbids inline style), no id/name (DOM clobbering), no class.
# ``ol start`` keeps the numbering of a list that continues after a paragraph.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    # Images would load from other hosts (the CSP blocks them anyway); "![a](u)" stays a link.
    .disable("image")
)


def _shift_headings(tokens) -> None:
    """Move every heading down by HEADING_SHIFT levels, never below <h6>."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + HEADING_SHIFT)
            token.tag = f"h{level}"


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown as sanitised HTML that templates may output as is."""
    if not text:
        return Markup("")
    source = str(text)[:MAX_MARKDOWN_LENGTH]
    env: dict = {}
    tokens = _parser.parse(source, env)
    _shift_headings(tokens)
    html = _parser.renderer.render(tokens, _parser.options, env)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)
