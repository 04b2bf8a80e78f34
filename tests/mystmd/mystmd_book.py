"""What the mystmd tests read of a built book: its pages' JSON (mdast) and output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Book:
    """A built book: its folder, what ``myst`` printed, and its pages' JSON."""

    root: Path
    output: str
    returncode: int

    def page(self, slug: str) -> dict[str, Any]:
        data = json.loads((self.root / "_build" / "site" / "content" / f"{slug}.json")
                          .read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every node of an mdast tree, depth first."""
    if isinstance(node, dict):
        yield node
        for child in node.get("children", []):
            yield from walk(child)


def text_of(node: Any) -> str:
    return "".join(n.get("value", "") for n in walk(node) if n.get("type") == "text")
