"""Every ``dlglossary_*`` configuration value: its type, default, check and meaning.

Values are declared once, without Sphinx, in
:data:`~sphinxcontrib_dlglossary.core.options.OPTIONS` (lint reads them from ``conf.py``
too). They are registered here, each with its type, and checked on ``config-inited``,
ahead of other listeners, so a wrong value warns once with its name and falls back to
the default instead of failing somewhere later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_dlglossary.core.options import OPTIONS, Option
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = ["OPTIONS", "Option", "setup"]

logger = logging.getLogger(__name__)


def _check(app: Sphinx, config: Config) -> None:
    """Warn about a value that fails its check and use the default instead."""
    for option in OPTIONS:
        value = config[option.name]
        if not option.check(value):
            logger.warning(
                "config value %s = %r is not valid (expected %s, e.g. %s); using the "
                "default %r", option.name, value, option.expected, option.example,
                option.default, type=WARNING_TYPE, subtype=DLWarning.CONFIG.subtype,
            )
            config[option.name] = option.default


def setup(app: Sphinx) -> None:
    for option in OPTIONS:
        app.add_config_value(option.name, option.default, option.rebuild,
                             types=frozenset(option.types))
    # Run before other listeners, so everything after sees checked values.
    app.connect("config-inited", _check, priority=100)
