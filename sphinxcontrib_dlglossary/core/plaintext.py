"""A definition as plain text: what ``dlglossary show`` prints and ``dlglossary.json`` holds.

Definitions are MyST. Their plain text keeps what a reader needs and drops the markup:
emphasis and code spans become their text, a link its text, a ``dlterm`` role the text it
shows, math stays TeX between ``$`` (or ``$$`` for a block), paragraphs are separated by
a blank line and list items start with ``-`` or their number. The text is parsed with
markdown-it (what MyST is built on), never with docutils, so no directive or role runs.
"""

from __future__ import annotations

import functools
from typing import Any

from sphinxcontrib_dlglossary.core.rolesyntax import ROLE_NAME, parse_role_body

__all__ = ["plain_text", "summary_line"]


@functools.cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(dollarmath_plugin).use(myst_role_plugin)
    return md.disable(["html_inline", "html_block"])


def _inline(children: list[Any]) -> str:
    out: list[str] = []
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline"):
            out.append(token.content)
        elif kind == "math_inline":
            out.append(f"${token.content}$")
        elif kind == "myst_role":
            name = token.meta.get("name", "")
            out.append(parse_role_body(token.content).text if name == ROLE_NAME
                       else token.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            out.append(_inline(token.children or []))
    return "".join(out)


def plain_text(myst: str) -> str:
    """*myst* as plain text (see the module docstring); blocks separated by blank lines."""
    blocks: list[tuple[str, int]] = []  # (text, the top-level list it is in, or 0)
    lists: list[list[int]] = []  # per open list: [next number] (0 for a bullet list)
    group = 0
    prefix = ""
    for token in _parser().parse(myst):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            group += not lists
            lists.append([int(token.attrs.get("start", 1)) if kind[0] == "o" else 0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = lists[-1][0]
            prefix = "  " * (len(lists) - 1) + (f"{number}. " if number else "- ")
            lists[-1][0] += 1 if number else 0
        elif kind == "inline":
            blocks.append((prefix + _inline(token.children or []), group if lists else 0))
            prefix = ""
        elif kind == "math_block":
            blocks.append((f"$$\n{token.content.strip()}\n$$", group if lists else 0))
        elif kind in ("fence", "code_block"):
            blocks.append((token.content.rstrip("\n"), group if lists else 0))
    out = ""
    for i, (text, in_list) in enumerate(blocks):
        if i:  # items of one list on adjacent lines, other blocks apart
            out += "\n" if in_list and in_list == blocks[i - 1][1] else "\n\n"
        out += text
    return out


def summary_line(myst: str) -> str:
    """*myst* as one line of plain text (for search indexes and JSON summaries)."""
    return " ".join(plain_text(myst).split())
