"""The core: terms, term files and their checks, lookup, role syntax, the matcher.

Nothing in this package imports Sphinx or docutils (a test proves it), so the
``dlglossary`` command, the linter and the mystmd export use the very rules the Sphinx
extension does. Start at :mod:`.terms`.
"""
