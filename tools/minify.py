"""Write the minified tooltip runtime and stylesheet that the extension serves.

    python tools/minify.py          # regenerate static/dlglossary.min.{js,css}
    python tools/minify.py --check  # exit 1 if they are out of date (the tests run this)

The readable sources (static/dlglossary.js, .css) are what we edit and review; the
minified copies are what pages load, to stay within the 4 KB gzip budget for both together
(the filter of the glossary page included). The script is minified by calmjs.parse, which
parses it (ES5), renames the local names of its functions (nothing global, no property)
and drops the semicolons a closing brace makes redundant;
the stylesheet by rcssmin (comments and whitespace).
"""

from __future__ import annotations

import sys
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "sphinxcontrib_dlglossary" / "static"


def minified() -> dict[Path, str]:
    """Each minified file and the text it should hold."""
    import rcssmin
    from calmjs.parse import es5
    from calmjs.parse.unparsers.es5 import minify_print

    js, css = STATIC / "dlglossary.js", STATIC / "dlglossary.css"
    return {
        STATIC / "dlglossary.min.js":
            minify_print(es5(js.read_text("utf-8")), obfuscate=True, drop_semi=True,
                           obfuscate_globals=False) + "\n",
        STATIC / "dlglossary.min.css":
            rcssmin.cssmin(css.read_text("utf-8")) + "\n",
    }


def main(argv: list[str]) -> int:
    stale = [p for p, text in minified().items()
             if not p.exists() or p.read_text("utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path} is out of date: run python tools/minify.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in minified().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
