"""Term files that try to exhaust the reader: bounded input (issue 12, cases 6 and 10).

A term file comes from anyone who can open a pull request. Whatever it is (an alias bomb,
deep nesting, a FIFO, a device, a folder, a huge file), ``dlglossary validate`` answers
within seconds with a located message and exit status 1, never a traceback, a hang or
gigabytes of memory; a build reports the same as an error naming the file by its real
path and goes on. Whatever could hang or blow up runs the command in a subprocess with a
timeout, so a regression fails the test instead of blocking the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from common import build_project, warning_lines
from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.termfiles import MAX_DEPTH

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")

#: A valid term whose aliases are a billion-laughs alias bomb: 9 ** 8 (43 million) copies
#: of "lol" once expanded. The loader of issue 12 took 65 s and 3 GB on the same shape.
BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
terms:
  - key: laughs
    title: Laughs
    definition: A billion of them.
    aliases: *h
"""

GOOD = """\
terms:
  - key: foo
    title: Foo
    definition: A foo.
"""


def validate(cwd: Path, *argv: str) -> tuple[int, list[str], float]:
    """``dlglossary validate --standalone ARGV`` in a subprocess: status, output lines and
    seconds taken; a hang past 30 s fails the test."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_dlglossary", "validate", "--standalone", *argv],
        capture_output=True, text=True, cwd=cwd, timeout=30, check=False,
    )
    seconds = time.perf_counter() - start
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done.returncode, (done.stdout + done.stderr).splitlines(), seconds


def test_alias_bomb_is_refused_at_its_first_alias(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 500
    status, lines, seconds = validate(tmp_path, "bomb.yaml")
    assert status == 1
    assert lines == [
        "error: bomb.yaml:2: YAML aliases are not allowed (*a); write the value out",
        "1 problem found",
    ]
    assert seconds < 10


def test_an_anchor_without_alias_is_harmless(tmp_path: Path) -> None:
    (tmp_path / "anchor.yaml").write_text(GOOD.replace("title: Foo", "title: &t Foo"),
                                          encoding="utf-8")
    status, lines, _ = validate(tmp_path, "anchor.yaml")
    assert (status, lines) == (0, ["anchor.yaml: OK (1 terms)"])


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("deep.yaml", "terms:\n  - " + "[" * 250 + "]" * 250 + "\n", 2),
        # Line n opens list n (the file's mapping is the first): list 21 is one too many.
        ("deep-block.yaml", "terms:\n" + "".join(f"{'  ' * i}-\n" for i in range(1, 40)), 21),
        ("deep.json", '{"terms":\n [' + "[" * 1000 + "]" * 1000 + "]}\n", 2),
        ("deep-objects.json", '{"terms": [' + '{"a": ' * 1000 + "1" + "}" * 1000 + "]}", 1),
    ],
    ids=["yaml-250-lists", "yaml-block-lists", "json-1000-arrays", "json-1000-objects"],
)
def test_deep_nesting_is_a_located_problem(tmp_path: Path, name: str, text: str,
                                           line: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    status, lines, _ = validate(tmp_path, name)
    assert status == 1
    assert lines == [
        f"error: {name}:{line}: lists and mappings are nested more than {MAX_DEPTH} "
        f"levels deep; a term file needs 4",
        "1 problem found",
    ]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nesting_up_to_the_limit_reaches_the_schema(tmp_path: Path, suffix: str) -> None:
    # Four levels are the term file's own (file, terms, entry, aliases): the rest fit.
    inner = "[" * (MAX_DEPTH - 4) + "]" * (MAX_DEPTH - 4)
    path = tmp_path / f"limit{suffix}"
    path.write_text('{"terms": [{"key": "foo", "title": "Foo", "definition": "A foo.", '
                    f'"aliases": [{inner}]}}]}}', encoding="utf-8")
    _, problems = terms.load_with_problems([path], canonical=False)
    assert [(p.line, p.entry, p.field) for p in problems] == [(1, "'foo'", "aliases")]
    assert "nested" not in problems[0].message


@posix_only
def test_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")  # nobody ever writes to it: opening it would block
    status, lines, seconds = validate(tmp_path, "fifo.yaml")
    assert (status, lines) == (1, [
        "error: fifo.yaml: cannot read a FIFO (named pipe): a term file must be a regular file",
        "1 problem found",
    ])
    assert seconds < 10


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_device_is_refused(tmp_path: Path) -> None:
    status, lines, seconds = validate(tmp_path, "/dev/zero")
    assert (status, lines) == (1, [
        "error: /dev/zero: cannot read a device: a term file must be a regular file",
        "1 problem found",
    ])
    assert seconds < 10


@posix_only
def test_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "terms.yaml").symlink_to("/dev/zero")
    status, lines, _ = validate(tmp_path, "terms.yaml")
    assert status == 1
    assert lines[0] == ("error: terms.yaml: cannot read a device: a term file must be a "
                        "regular file")


def test_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "terms.yaml").mkdir()
    status, lines, _ = validate(tmp_path, "terms.yaml")
    assert (status, lines) == (1, [
        "error: terms.yaml: cannot read a folder: a term file must be a regular file",
        "1 problem found",
    ])


def test_file_over_the_default_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(GOOD)
        stream.write(("# " + "x" * 1022 + "\n") * (10 * 1024))  # 10 MB of comments
    status, lines, _ = validate(tmp_path, "huge.yaml")
    assert (status, lines) == (1, [
        "error: huge.yaml: the file is larger than 10,485,760 bytes, the most a term file "
        "may have",
        "1 problem found",
    ])


def test_max_file_size_option(tmp_path: Path) -> None:
    (tmp_path / "terms.yaml").write_text(GOOD, encoding="utf-8")
    size = len(GOOD)
    status, lines, _ = validate(tmp_path, "--max-file-size", str(size - 1), "terms.yaml")
    assert (status, lines[0]) == (1, f"error: terms.yaml: the file is larger than "
                                     f"{size - 1:,} bytes, the most a term file may have")
    status, lines, _ = validate(tmp_path, "--max-file-size", str(size), "terms.yaml")
    assert (status, lines) == (0, ["terms.yaml: OK (1 terms)"])
    status, lines, _ = validate(tmp_path, "--max-file-size", "0", "terms.yaml")
    assert status == 2
    assert lines[-1] == ("dlglossary validate: error: argument --max-file-size: expected a "
                         "positive number of bytes, not '0'")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc")
def test_file_with_no_size_is_read_up_to_the_limit_only() -> None:
    # /proc files say their size is 0 and hold more: the cap on the read still holds.
    _, problems = terms.load_with_problems(["/proc/self/status"], canonical=False,
                                           max_file_size=16)
    assert [p.message for p in problems] == [
        "the file is larger than 16 bytes, the most a term file may have"]


# -- in a build --------------------------------------------------------------------------------


def _project(term_file: str, **conf: object) -> dict[str, str]:
    extra = "".join(f"{name} = {value!r}\n" for name, value in conf.items())
    return {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n"
                   f"dlglossary_term_files = [{term_file!r}]\n" + extra,
        "index.rst": "Index\n=====\n\n:dlterm:`kernel`\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    }


def test_missing_term_file_is_named_by_its_real_path(tmp_path: Path) -> None:
    src = tmp_path / "src"
    outdir, warnings = build_project(src, _project("missing.yaml"))
    assert warning_lines(warnings) == [
        f"ERROR: {src / 'missing.yaml'}: cannot read the file: No such file or directory "
        "[dlglossary.data]"
    ]
    assert ".yaml.rst" not in warnings
    assert (outdir / "glossary.html").is_file()  # the canonical terms are still built


def test_build_refuses_a_file_over_the_configured_limit(tmp_path: Path) -> None:
    src = tmp_path / "src"
    files = {**_project("terms.yaml", dlglossary_max_file_size=40), "terms.yaml": GOOD}
    outdir, warnings = build_project(src, files)
    assert warning_lines(warnings) == [
        f"ERROR: {src / 'terms.yaml'}: the file is larger than 40 bytes, the most a term "
        "file may have [dlglossary.data]"
    ]
    assert 'id="foo"' not in (outdir / "glossary.html").read_text(encoding="utf-8")


def test_bad_max_file_size_falls_back_to_the_default(tmp_path: Path) -> None:
    src = tmp_path / "src"
    files = {**_project("terms.yaml", dlglossary_max_file_size=-1), "terms.yaml": GOOD}
    outdir, warnings = build_project(src, files)
    assert warning_lines(warnings) == [
        "WARNING: config value dlglossary_max_file_size = -1 is not valid (expected int, "
        "e.g. 20_000_000); using the default 10485760 [dlglossary.config]"
    ]
    assert 'id="foo"' in (outdir / "glossary.html").read_text(encoding="utf-8")


def test_build_reports_an_alias_bomb_and_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "src"
    files = {**_project("bomb.yaml"), "bomb.yaml": BOMB}
    code = textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
        from pathlib import Path
        from common import build_project
        outdir, warnings = build_project(Path({str(src)!r}), {files!r})
        print(warnings)
        print((outdir / "glossary.html").is_file())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert warning_lines(done.stdout) == [
        "bomb.yaml:2: ERROR: YAML aliases are not allowed (*a); write the value out "
        "[dlglossary.data]",
        "True",
    ]
