"""Term set 2 (issue #13): its editorial rules, its size, what it keeps from 1.0.0,
phrases that must not match, further reading, and its content version.

``tests/fixtures/terms-1.0.0.yaml`` is the set as published before (49 terms): every key
of it must still resolve to itself and every anchor still land; every form must still
resolve, to the same term unless the changelog says it moved.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from common import build_project
from sphinxcontrib_dlglossary import cli
from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.matcher import Matcher

OLD: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "terms-1.0.0.yaml").read_text(encoding="utf-8")
)["terms"]
#: Forms of 1.0.0 that now name a more accurate term (data/CHANGELOG.md, 2.0.0).
MOVED = {
    "activation map": "feature-maps",
    "perceptron": "perceptron",
    "fully-connected layer": "fully-connected-layer",
    "dense layer": "fully-connected-layer",
    "residual connection": "skip-connection",
}
CHANGELOG = Path(__file__).resolve().parent.parent / "data" / "CHANGELOG.md"


def test_the_set_has_at_least_150_terms_each_with_summary_and_tags() -> None:
    termset = terms.load_canonical()
    assert len(termset) >= 150
    vocabulary = terms.tag_vocabulary()
    for term in termset:
        assert term.summary and len(term.summary) <= 160, term.key
        assert term.tags and set(term.tags) <= set(vocabulary), term.key


def test_every_published_key_and_form_still_resolves() -> None:
    termset = terms.load_canonical()
    for old in OLD:
        assert termset.resolve(old["key"]).key == old["key"]  # type: ignore[union-attr]
        forms = [old["title"], *old.get("aliases", []), *old.get("variants", []),
                 *old.get("avoid", [])]
        for form in forms:
            found = termset.lookup(form)
            assert found is not None, form
            assert found.key == MOVED.get(form, old["key"]), form


def test_moved_forms_are_in_the_changelog() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    for form in MOVED:
        assert f'"{form}"' in text, form


def test_every_published_anchor_still_lands(tmp_path: Path) -> None:
    refs = "\n".join(f"- :dlterm:`{t['key']}`" for t in OLD)
    outdir, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n",
        "index.rst": f"Uses\n====\n\n{refs}\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    })
    assert warnings == ""
    page = BeautifulSoup((outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    for old in OLD:
        assert page.find(id=old["key"]) is not None, old["key"]


# -- editorial rules: the canonical set always, a project with validate --strict ----------

GOOD = {"key": "focal-loss", "title": "Focal loss", "tags": ["losses"],
        "summary": "A cross-entropy loss that down-weights the examples a model already "
                   "classifies well.",
        "definition": "A loss that scales cross-entropy by $(1 - p_t)^\\gamma$."}


def _validate_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                     **changes: Any) -> tuple[int, str]:
    entry = {**GOOD, **changes}
    entry = {k: v for k, v in entry.items() if v is not None}
    path = tmp_path / "terms.yaml"
    path.write_text(yaml.safe_dump({"terms": [entry]}, sort_keys=False), encoding="utf-8")
    status = cli.main(["validate", "--strict", str(path)])
    out, err = capsys.readouterr()
    return status, out + err


def test_a_good_entry_passes_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _validate_strict(tmp_path, capsys)
    assert status == 0, out


@pytest.mark.parametrize(("changes", "message"), [
    ({"summary": None}, "field 'summary': missing: every canonical term has a one-sentence"),
    ({"summary": "A loss. It helps with imbalance."},
     "field 'summary': must be one sentence, ending with a full stop"),
    ({"summary": "A loss that helps with imbalance"},
     "field 'summary': must be one sentence, ending with a full stop"),
    ({"summary": "x" * 158 + " y."}, "field 'summary': is 161 characters long; a summary has"),
    ({"summary": "A loss for detection, also a term in photography."},
     "field 'summary': gives a second sense"),
    ({"summary": "1. A loss for detection 2. a camera setting."},
     "field 'summary': gives a second sense"),
    ({"tags": None}, "field 'tags': missing: every canonical term has at least one tag"),
    ({"tags": ["losses", "cooking"]}, "field 'tags': 'cooking' not in the tag vocabulary"),
])
def test_strict_rules(changes: dict[str, Any], message: str, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _validate_strict(tmp_path, capsys, **changes)
    assert status == 1
    assert message in out, out


def test_abbreviations_do_not_end_a_sentence(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _validate_strict(
        tmp_path, capsys, summary="A loss for dense detectors, e.g. RetinaNet, i.e. one stage.")
    assert status == 0, out


def test_project_files_are_not_strict_by_default(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("terms:\n  - key: focal-loss\n    title: Focal loss\n"
                    "    definition: A loss.\n", encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 0


# -- not_matching ----------------------------------------------------------------------------

@pytest.mark.parametrize(("phrases", "message"), [
    (["batch normalization"], "'batch normalization' is a form of term 'batch-normalization'"),
    (["cooking recipe"], "'cooking recipe' holds no form of this term"),
])
def test_not_matching_rules(phrases: list[str], message: str, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(textwrap.dedent(f"""\
        terms:
          - key: minibatch
            override: true
            title: Minibatch
            aliases: [batch]
            definition: A few examples.
            not_matching: {json.dumps(phrases)}
        """), encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"entry 'minibatch': field 'not_matching': {message}" in out + err


@pytest.mark.parametrize(("sentence", "found"), [
    ("We compare gradient boosting with a neural network.",
     [("neural network", "neural-network")]),
    ("The gradient of the loss.", [("gradient", "gradient"), ("loss", "loss")]),
    ("Each batch job runs at night.", []),
    ("Batch normalization keeps the scale in range.",
     [("Batch normalization", "batch-normalization")]),
    ("A perceptron is not a multi-layer perceptron.",
     [("perceptron", "perceptron"), ("multi-layer perceptron", "multi-layer-perceptron-mlp")]),
    ("Residual connections help.", [("Residual connections", "skip-connection")]),
    ("Write unit test data to disk.", []),
])
def test_longer_phrases_and_not_matching_win(sentence: str,
                                             found: list[tuple[str, str]]) -> None:
    matcher = Matcher(terms.load_canonical(), include_everyday=True)
    assert [(m.text, m.key) for m in matcher.find(sentence)] == found


# -- further reading and the content version --------------------------------------------------

def test_further_reading_is_shown_as_links(tmp_path: Path) -> None:
    outdir, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n",
        "index.rst": "Title\n=====\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    })
    assert warnings == ""
    page = BeautifulSoup((outdir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    unet = terms.load_canonical().terms["u-net"]
    assert unet.reading
    dd = page.find(id="u-net").find_next("dd")  # type: ignore[union-attr]
    para = dd.select_one("p.dlglossary-reading")  # type: ignore[union-attr]
    assert para is not None
    links = [(a.get_text(), a["href"]) for a in para.select("a")]
    assert links == list(unet.reading)
    data = json.loads((outdir / "dlglossary.json").read_text(encoding="utf-8"))
    assert data["term_set_version"] == terms.content_version()


def test_reading_urls_are_http(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("terms:\n  - key: focal-loss\n    title: Focal loss\n    definition: A.\n"
                    "    reading:\n      - {title: Paper, url: 'javascript:alert(1)'}\n",
                    encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "field 'reading': 'javascript:alert(1)' is not an https: or http: URL" in out + err


def test_content_version_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    version = terms.content_version()
    assert version.count(".") == 2
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert f"(term set {version})" in capsys.readouterr().out
    assert cli.main(["export"]) == 0
    assert json.loads(capsys.readouterr().out)["content_version"] == version
    assert cli.main(["validate"]) == 0
    assert f"term set {version})" in capsys.readouterr().out
    assert f"## {version}" in CHANGELOG.read_text(encoding="utf-8")


#: Everyday prose that holds words of the new terms in their everyday sense: auto-link
#: (and lint's "unlinked mention") must find nothing to link in any of them.
SILENT = [
    "Please pay attention to the second layer of paint.",
    "Your API token expired; request a new token.",
    "Recall that the meeting moved; for example, to Friday.",
    "The label on the jar says the feature request is closed.",
    "Open a new channel on Slack and check the padding of the button.",
    "The transformer in the substation hums; the encoder of the motor is broken.",
    "We keep a checkpoint of the game and reach convergence of opinions by momentum.",
    "The batch job ran the unit test data through gradient boosting.",
    "A performance regression in the query optimizer hit the Linux kernel.",
    "The vocabulary of the backbone of the book is rich.",
]


@pytest.mark.parametrize("sentence", SILENT)
def test_everyday_sentences_link_nothing(sentence: str) -> None:
    matcher = Matcher(terms.load_canonical())
    assert [(m.text, m.key) for m in matcher.linkable(sentence)] == []
