"""A rebuild with unchanged term files does not check them again (issue #12, case 7).

Checking costs about a millisecond a term, so at 5,000 terms it was most of a no-change
rebuild. The checked set is kept in the environment with a digest of the files; the
problems are still reported on every build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from common import build_project
from sphinxcontrib_dlglossary.core import terms

FILES = {
    "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n"
               "dlglossary_term_files = ['terms.yaml']\n",
    "terms.yaml": "terms:\n  - key: focal-loss\n    title: Focal loss\n"
                  "    definition: A loss with {ref}`a role`.\n",
    "index.rst": "Title\n=====\n\nA :dlterm:`focal loss`.\n",
}


def test_unchanged_term_files_are_checked_once(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = terms.load_with_problems

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(terms, "load_with_problems", counting)
    error = "terms.yaml:4: ERROR: entry 'focal-loss': field 'definition': the role {ref}"
    _, first = build_project(tmp_path, FILES)
    assert len(calls) == 1 and error in first
    _, second = build_project(tmp_path)
    assert len(calls) == 1 and error in second  # reused, and still reported
    _, third = build_project(tmp_path, {"terms.yaml": FILES["terms.yaml"].replace(
        "{ref}`a role`", "no role")})
    assert len(calls) == 2 and "ERROR" not in third
