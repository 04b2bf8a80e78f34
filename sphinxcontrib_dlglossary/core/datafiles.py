"""Where the package's own data are: the term set, its schema, the tag vocabulary.

Installed, they are the subpackage ``sphinxcontrib_dlglossary.data`` (the repository's
top-level ``data/`` folder, mapped in ``pyproject.toml``). A checkout put before the
installed package on ``sys.path`` (``python -m sphinx`` or ``python -m
sphinxcontrib_dlglossary`` run from the repository's root: ``-m`` puts the working
directory first) has no such subpackage; its data are the ``data/`` folder next to the
package's folder, and are read from there.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["data_dir"]

_CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"


def data_dir() -> Traversable:
    """The folder of the package's data files."""
    try:
        return resources.files("sphinxcontrib_dlglossary.data")
    except ModuleNotFoundError:
        if (_CHECKOUT_DATA / "terms.yaml").is_file():
            return _CHECKOUT_DATA
        raise
