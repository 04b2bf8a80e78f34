"""The glossary in the site's language (issue #17): labels, the shipped German term set,
the site's own ``.po`` translations through ``-b gettext``, collation, stable anchors, and
``dlglossary validate --translation``.

Each test builds a small project the way a translator's workflow does: ``language`` in
``conf.py`` (or ``-D language=…``), ``locale_dirs``, a ``-b gettext`` build, ``.po`` files
written from its ``.pot`` (as ``sphinx-intl update`` would), and an HTML build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from babel.messages.pofile import write_po as babel_write_po

from common import TERMS, build_project, entry, glossary_terms, term_links
from sphinxcontrib_dlglossary.core import translations
from sphinxcontrib_dlglossary.core.collation import collation

ROOT = Path(__file__).resolve().parent.parent
GERMAN = yaml.safe_load((ROOT / "data" / "translations" / "de.yaml").read_text("utf-8"))
DE = {t["key"]: t for t in GERMAN["terms"]}

CONF = ('extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n'
        'myst_enable_extensions = ["dollarmath"]\n'
        'locale_dirs = ["locales"]\n')
PAGES = {
    "index.rst": "Start\n=====\n\n.. toctree::\n\n   one\n   glossary\n",
    "one.md": ("# Eins\n\nEin {dlterm}`Faltungskern <kernel>` und eine {dlterm}`Epoche <epoch>`, "
               "{dlterm}`kernels` und {dlterm}`Dropout`.\n\n## Zweiter Abschnitt\n\n"
               "Wieder {dlterm}`kernel` und {dlterm}`epoch`.\n"),
    "glossary.rst": "Glossar\n=======\n\n.. dlglossary::\n",
}


def project(tmp_path: Path, language: str | None, **extra: str) -> Path:
    src = tmp_path / (language or "en")
    conf = CONF + (f'language = "{language}"\n' if language else "")
    for name, text in {**PAGES, "conf.py": conf, **extra}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    return src


def glossary_html(out: Path) -> str:
    return (out / "glossary.html").read_text(encoding="utf-8")


def terms_js(out: Path) -> str:
    return "".join(p.read_text("utf-8") for p in (out / "_static").glob("dlglossary-terms*.js"))


# -- the shipped German term set --------------------------------------------------------

def test_the_shipped_german_translation_is_complete_and_valid() -> None:
    from sphinxcontrib_dlglossary.core import terms

    assert GERMAN["language"] == "de"
    assert set(DE) == {t["key"] for t in TERMS}  # every canonical term
    found, problems = translations.read(ROOT / "data" / "translations" / "de.yaml")
    assert problems == []
    assert found is not None
    assert translations.check(found, terms.load_canonical()) == []


def test_a_german_site_shows_german_labels_terms_and_the_same_anchors(tmp_path: Path) -> None:
    en_out, warnings = build_project(project(tmp_path, None))
    assert warnings == ""
    de_out, warnings = build_project(project(tmp_path, "de"))
    assert warnings == ""
    en, de = glossary_html(en_out), glossary_html(de_out)
    # the same entries under the same anchors: links between languages keep working
    assert sorted(i for i, _ in glossary_terms(en)) == sorted(i for i, _ in glossary_terms(de))
    titles = dict(glossary_terms(de))
    assert titles["kernel"] == DE["kernel"]["title"]
    assert titles["convolutional-layer"] == DE["convolutional-layer"]["title"]
    kernel = entry(de, DE["kernel"]["title"])
    text = kernel.get_text(" ")
    assert DE["kernel"]["summary"].split()[0] in text
    for label in ("Auch:", "Schlagwörter:"):
        assert label in text, label
    assert "<strong>Verwandt:</strong>" in de  # kernel's text links all its related terms
    assert "Also:" not in text and "Related:" not in text
    # the filter's texts and the backlinks' words
    assert 'data-none="Kein Begriff passt"' in de and ">Begriffe filtern</label>" in de
    assert re.search(r"Verwendet auf 1 Seite", de), "backlinks label"
    # German names resolve, English ones too
    one = (de_out / "one.html").read_text("utf-8")
    links = {text: href for text, href, _ in term_links(one)}
    assert links["Faltungskern"].endswith("glossary.html#kernel")
    assert links["kernels"].endswith("glossary.html#kernel")
    assert links["Epoche"].endswith("glossary.html#epoch")
    # tooltips: German title and summary
    js = terms_js(de_out)
    assert DE["kernel"]["title"] in js and DE["epoch"]["title"] in js


def test_dlglossary_translation_empty_keeps_english(tmp_path: Path) -> None:
    src = project(tmp_path, "de")
    out, warnings = build_project(src, dlglossary_translation="")
    assert "unknown term 'Faltungskern'" not in warnings  # written with a target
    titles = dict(glossary_terms(glossary_html(out)))
    assert titles["kernel"] == "Kernel"


def test_an_unknown_translation_language_warns_and_shows_english(tmp_path: Path) -> None:
    out, warnings = build_project(project(tmp_path, None), dlglossary_translation="xx")
    assert "dlglossary_translation = 'xx': no shipped translation" in warnings
    assert "[dlglossary.config]" in warnings
    assert dict(glossary_terms(glossary_html(out)))["kernel"] == "Kernel"


# -- the site's own translations: -b gettext and .po files ------------------------------

def gettext(src: Path) -> dict[str, str]:
    """``-b gettext`` (as ``make gettext`` runs it): message -> the catalog it is in."""
    app_out, warnings = build_project(src, builder="gettext")
    assert warnings == ""
    messages: dict[str, str] = {}
    for pot in Path(app_out).glob("*.pot"):
        with pot.open("rb") as f:
            for message in read_po(f):
                if message.id:
                    messages[str(message.id)] = pot.stem
    return messages


def test_gettext_extracts_every_shown_terms_title_summary_and_definition(
        tmp_path: Path) -> None:
    src = project(tmp_path, None)
    messages = gettext(src)
    for term in TERMS:
        for field in ("title", "summary", "definition"):
            if term.get(field):
                assert messages.get(term[field]) == "glossary", (term["key"], field)
    # and nothing of the entries' rendering (letters, labels) as messages
    assert "Also:" not in messages and "A" not in messages


def translate_po(src: Path, language: str, translate: dict[str, str]) -> Path:
    """The site's ``locales/<language>/LC_MESSAGES/glossary.po`` from its ``.pot``, with
    *translate* (message -> translation) filled in, as a translator would."""
    # In a copy: the gettext builder cannot share the HTML build's doctrees.
    pot_src = src.parent / f"{src.name}-gettext"
    shutil.rmtree(pot_src, ignore_errors=True)
    shutil.copytree(src, pot_src, ignore=shutil.ignore_patterns("_build", "locales"))
    out, _ = build_project(pot_src, builder="gettext")
    with (Path(out) / "glossary.pot").open("rb") as f:
        catalog = read_po(f, locale=language)
    for message in catalog:
        if message.id in translate:
            message.string = translate[str(message.id)]
    po = src / "locales" / language / "LC_MESSAGES" / "glossary.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as f:
        babel_write_po(f, catalog)
    return po


def test_a_po_translation_appears_in_the_next_build_and_incrementally(tmp_path: Path) -> None:
    kernel = next(t for t in TERMS if t["key"] == "kernel")
    epoch = next(t for t in TERMS if t["key"] == "epoch")
    src = project(tmp_path, "fr", **{"conf.py": CONF + 'language = "fr"\n'})
    out, warnings = build_project(src)
    assert warnings == ""
    assert "Noyau de convolution" not in glossary_html(out)
    # labels in French already (the extension's own catalog)
    assert "<strong>Voir aussi\u00a0:</strong>" in glossary_html(out)

    summary = "Le petit tableau de poids appris qu'une couche de convolution fait glisser."
    definition = ("Le tableau de {dlterm}`poids <weights-of-a-network>` d'une "
                  "{dlterm}`couche de convolution <convolutional-layer>`, de forme "
                  "$c_i \\times k \\times k$.")
    po = translate_po(src, "fr", {kernel["title"]: "Noyau de convolution",
                                  kernel["summary"]: summary,
                                  kernel["definition"]: definition})
    out, warnings = build_project(src)  # incremental: only the .po changed
    assert warnings == ""
    html = glossary_html(out)
    # the translated definition, as MyST: its term links and its math
    kernel_entry = entry(html, "Noyau de convolution")
    assert "Le tableau de" in kernel_entry.get_text()
    links = {a.get_text(): a["href"] for a in kernel_entry.select("a.dlterm")}
    assert links["couche de convolution"] == "#convolutional-layer"
    assert "c_i \\times k \\times k" in kernel_entry.get_text()
    assert dict(glossary_terms(html))["kernel"] == "Noyau de convolution"
    assert summary.replace("'", "&#x27;") in html or summary in html
    assert "Noyau de convolution" in terms_js(out) and "couche de convolution" in terms_js(out)
    # untranslated terms stay in English (no shipped French set)
    assert dict(glossary_terms(html))["epoch"] == epoch["title"]

    # a second translation, and a definition that is not safe MyST: shown as text
    translate_po(src, "fr", {kernel["title"]: "Noyau", kernel["summary"]: summary,
                         epoch["definition"]: "Un passage. <img src=x onerror=alert(1)>"})
    out, warnings = build_project(src)
    assert "raw HTML is not allowed" in warnings and "[dlglossary.data]" in warnings
    html = glossary_html(out)
    assert dict(glossary_terms(html))["kernel"] == "Noyau"
    assert "<img" not in html and "&lt;img src=x" in html
    assert po.exists()


# -- collation ---------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "titles", "expected", "letters"), [
    ("de", ["Zebra", "Äpfel", "Apfel", "Ölung", "Ober", "Straße", "Strasse"],
     ["Apfel", "Äpfel", "Ober", "Ölung", "Strasse", "Straße", "Zebra"], "aaoossz"),
    ("fr", ["Époque", "Ecart", "Zèle", "Élan"], ["Ecart", "Élan", "Époque", "Zèle"], "eeez"),
    ("es", ["Ñandú", "Nube", "Oso", "Niño"], ["Niño", "Nube", "Ñandú", "Oso"], "nnño"),
])
def test_collation_files_accented_letters_with_their_base_letter(
        language: str, titles: list[str], expected: list[str], letters: str) -> None:
    order = collation(language)
    ranked = sorted(titles, key=lambda t: order.sort_key(t, t.lower()))
    assert ranked == expected
    assert "".join(order.letter(t, t.lower()) for t in ranked) == letters


def test_spanish_bar_has_enye_after_n_and_chinese_files_by_key() -> None:
    bar = collation("es").alphabet()
    assert bar[bar.index("n") + 1] == "ñ"
    zh = collation("zh_CN")
    assert zh.by_key and zh.letter("卷积层", "convolutional-layer") == "c"
    assert sorted(["epoch", "accuracy"], key=lambda k: zh.sort_key("无关", k)) == [
        "accuracy", "epoch"]


def test_a_german_glossary_files_umlauts_under_their_letter(tmp_path: Path) -> None:
    terms = ("version: 1\nterms:\n"
             "  - key: aepfel\n    title: Äpfel\n    definition: Obst.\n"
             "  - key: apfel-zwei\n    title: Apfelbaum\n    definition: Ein Baum.\n"
             "  - key: uebung\n    title: Übung\n    definition: Praxis.\n")
    src = project(tmp_path, "de", **{"terms.yaml": terms, "conf.py": CONF + (
        'language = "de"\ndlglossary_term_files = ["terms.yaml"]\n')})
    out, warnings = build_project(src)
    assert warnings == ""
    html = glossary_html(out)
    order = [i for i, _ in glossary_terms(html)]
    assert order.index("aepfel") < order.index("apfel-zwei")  # Ä sorts as A
    # Ä and Ü file under A and U: no letter of their own in the bar or as a section
    assert 'id="dlglossary-letter-ä"' not in html and 'id="dlglossary-letter-ü"' not in html
    section_u = html.split('id="dlglossary-letter-u"', 1)[1].split("<section", 1)[0]
    assert 'id="uebung"' in section_u


# -- dlglossary validate --translation -----------------------------------------------------

def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sphinxcontrib_dlglossary", "validate",
                           *args], capture_output=True, text=True, check=False)


def test_validate_checks_a_translation_file_with_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "fr.yaml"
    bad.write_text(
        "version: 1\nlanguage: fr\nterms:\n"
        "  - key: kernal\n    title: Noyau\n    definition: Un noyau.\n"          # line 4
        "  - key: epoch\n    title: Époque\n    definition: Un passage.\n"      # line 7
        "  - key: momentum\n    title: Inertie\n    summary: Un terme.\n"       # line 10
        "    definition: Comme une bille.\n    aliases: [Époques, dropout]\n"
        "  - key: dropout\n    title: Abandon\n    summary: Couper.\n"
        "    definition: Voir {dlterm}`inconnu`.\n    couleur: rouge\n",
        encoding="utf-8")
    result = validate("--translation", str(bad))
    assert result.returncode == 1
    out = result.stdout
    assert f"{bad}:4: entry 'kernal': field 'key': unknown key 'kernal'" in out
    assert "did you mean 'kernel'?" in out
    assert f"{bad}:7: entry 'epoch': field 'summary': missing field" in out
    assert "'Époques' (as its plural" not in out  # a plural of a name is its own
    assert "'dropout' would also name term 'dropout'" in out
    assert "field 'couleur': unknown field (see data/translation.schema.json" in out
    assert "Traceback" not in result.stderr


def test_validate_reports_a_name_two_translated_terms_share(tmp_path: Path) -> None:
    clash = tmp_path / "de.yaml"
    clash.write_text(
        "version: 1\nlanguage: de\nterms:\n"
        "  - key: kernel\n    title: Kern\n    summary: Ein Kern.\n    definition: Kern.\n"
        "  - key: epoch\n    title: Epoche\n    summary: Ein Durchlauf.\n"
        "    definition: Durchlauf.\n    aliases: [Kern]\n",
        encoding="utf-8")
    result = validate("--translation", str(clash))
    assert result.returncode == 1
    assert "entry 'epoch': field 'aliases': 'Kern' would also name term 'kernel'" in \
        result.stdout


def test_validate_checks_the_shipped_translations() -> None:
    result = validate()
    assert result.returncode == 0, result.stdout
    assert re.search(r"de\.yaml: OK \(de: 153 of 153 terms translated", result.stdout)


def test_lint_knows_the_german_names_of_a_german_project(tmp_path: Path) -> None:
    src = project(tmp_path, "de", **{
        "lint.rst": "Lint\n====\n\nEine :dlterm:`Epoche` und eine :dlterm:`Epochee`.\n"})
    result = subprocess.run([sys.executable, "-m", "sphinxcontrib_dlglossary", "lint",
                             str(src / "lint.rst")], capture_output=True, text=True,
                            check=False, cwd=src)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unknown term 'Epoche'" not in result.stdout
    assert "unknown term 'Epochee' in a dlterm role; did you mean 'Epoche'?" in result.stdout


# -- the extension's own labels -----------------------------------------------------------

LOCALE = ROOT / "sphinxcontrib_dlglossary" / "locale"
LANGUAGES = ["de", "fr", "es", "pt", "zh_CN", "ja"]


def catalog(language: str) -> dict[str, tuple[str, ...]]:
    """msgid (singular) -> its translations, from the shipped ``.po``."""
    with (LOCALE / language / "LC_MESSAGES" / "dlglossary.po").open("rb") as f:
        po = read_po(f)
    out: dict[str, tuple[str, ...]] = {}
    for message in po:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            out[str(ids[0])] = tuple(str(s) for s in strings)
    return out


@pytest.mark.repo
def test_the_catalogs_are_up_to_date_with_the_labels() -> None:
    """``locale/`` holds what tools/catalogs.py makes from sphinx_ext/labels.py."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "catalogs.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_is_translated_with_its_placeholders(language: str) -> None:
    with (LOCALE / "dlglossary.pot").open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    found = catalog(language)
    assert set(found) == wanted
    for msgid, strings in found.items():
        marks = sorted(re.findall(r"%\(\w+\)[sd]|\{n\}", msgid))
        for text in strings:
            assert text, (language, msgid)
            assert sorted(set(re.findall(r"%\(\w+\)[sd]|\{n\}", text))) == sorted(set(marks)), \
                (language, msgid, text)


@pytest.mark.parametrize(("language", "site_language"), [
    *((lang, lang) for lang in LANGUAGES if lang != "pt"),
    ("pt", "pt_BR"),  # the catalog pt serves pt_BR and pt_PT (docutils knows only those)
])
def test_the_glossary_page_speaks_the_site_language(tmp_path: Path, language: str,
                                                     site_language: str) -> None:
    """Labels of an entry, backlinks and filter, and the tooltip's "more", as the shipped
    catalog of the language says (one page uses each term once)."""
    out, warnings = build_project(project(tmp_path, site_language))
    assert warnings == ""
    words = catalog(language)
    html = glossary_html(out)
    text = entry(html, dict(glossary_terms(html))["kernel"]).get_text(" ")
    for label in ("Also:", "Tags:"):
        assert words[label][0] in text, (language, label)
    assert f"<strong>{words['Related:'][0]}</strong>" in html
    assert (words["Used on %(count)d page:"][0] % {"count": 1}) in text
    assert "Also:" not in text
    filter_label = words["Filter terms"][0]
    assert f">{filter_label}</label>" in html
    page = (out / "one.html").read_text("utf-8")
    assert f'data-more="{words["more"][0]}"' in page


def test_hostile_po_translations_are_refused_or_shown_as_text(tmp_path: Path) -> None:
    """A translator's text is term data: a title that would break an ``objects.inv`` line
    is not used, a directive or a ``javascript:`` link is shown as text, with warnings."""
    from common import inventory

    kernel = next(t for t in TERMS if t["key"] == "kernel")
    epoch = next(t for t in TERMS if t["key"] == "epoch")
    src = project(tmp_path, "fr", **{"conf.py": CONF + 'language = "fr"\n'})
    translate_po(src, "fr", {
        kernel["title"]: "Noyau\nstd:label -1 evil.html Evil",
        epoch["definition"]: "```{raw} html\n<script>alert(1)</script>\n```\n\n"
                             "[clic](javascript:alert(1))",
    })
    out, warnings = build_project(src)
    assert "entry 'kernel': field 'title'" in warnings and "[dlglossary.data]" in warnings
    assert "entry 'epoch': field 'definition'" in warnings
    html = glossary_html(out)
    assert dict(glossary_terms(html))["kernel"] == kernel["title"]  # not the hostile title
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert "javascript:alert(1)" in html  # as text
    names = {name for items in inventory(out / "objects.inv").values() for name in items}
    assert not any("evil" in name.lower() for name in names)
