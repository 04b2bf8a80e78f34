"""The body of a ``dlterm`` role, read one way everywhere.

``kernel`` names the term and shows its text; ``kernels <kernel>`` shows "kernels" and
links *kernel*; a leading ``!`` (``!kernel``) writes the text without a link, which also
tells ``dlglossary lint`` that the plain mention is meant. A leading ``~`` is accepted and
ignored. The role (Sphinx), the term-file checks, the linter, plain-text rendering and
the mystmd plugin all read a body with :func:`parse_role_body`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MYST_ROLE_RE", "ROLE_NAME", "RoleBody", "parse_role_body"]

#: The role's name, in rST (``:dlterm:`…```) and MyST (``{dlterm}`…```).
ROLE_NAME = "dlterm"
#: A ``dlterm`` role in MyST text (the group ``body`` holds what is between the backquotes).
MYST_ROLE_RE = re.compile(r"\{dlterm\}`(?P<body>[^`]*)`")

_EXPLICIT_RE = re.compile(r"(?s)(?P<text>.*?)\s*<(?P<target>[^<>]+)>\s*")


@dataclass(frozen=True)
class RoleBody:
    """What a role body says, with offsets into the body as written."""

    #: The text the reader sees.
    text: str
    #: What the role names (the term is looked up by this).
    target: str
    #: ``!kernel``: shown as plain text, not linked.
    suppressed: bool
    #: ``text <target>``: the shown text differs from the target.
    explicit: bool
    #: ``(start, end)`` of :attr:`text` in the body.
    text_span: tuple[int, int]
    #: ``(start, end)`` of :attr:`target` in the body.
    target_span: tuple[int, int]


def parse_role_body(body: str) -> RoleBody:
    """Read a role body: ``target``, ``text <target>``, either with a leading ``!``."""
    stripped = body.lstrip(" \n!~")
    lead = len(body) - len(stripped)
    suppressed = body.lstrip().startswith("!")
    match = _EXPLICIT_RE.fullmatch(body, lead)
    if match and match.group("text"):
        text_span = (lead, match.end("text"))
        target_span = (match.start("target"), match.end("target"))
        target = match.group("target").strip()
        text = match.group("text")
        explicit = True
    else:
        end = len(body.rstrip())
        text_span = target_span = (lead, max(lead, end))
        target = text = body[lead:end]
        explicit = False
    return RoleBody(text=text, target=target, suppressed=suppressed, explicit=explicit,
                    text_span=text_span, target_span=target_span)
