"""Unit tests of ``sphinxcontrib_dlglossary.core``: normalizing, plurals, lookup, suggestions,
problem messages, and checks of the shipped term set.

The checks of the shipped data use their own small regular expressions (not the ones in
terms.py), so they can catch a regression in the loader's own checks too.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.terms import Problem, Term, TermSet, normalize, plural, plurals

EXPECTED_TERMS = 153
REPO = Path(__file__).resolve().parent.parent

#: ``{dlterm}`text <target>``` or ``{dlterm}`target```; the body may start with ``!`` or ``~``.
ROLE = re.compile(r"\{dlterm\}`([^`]*)`")


def role_target(body: str) -> str:
    body = body.lstrip("!~")
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>\s*", body)
    return (match.group(2) if match else body).strip()


@pytest.fixture(scope="module")
def shipped() -> TermSet:
    return terms.load_canonical()


def written_forms(term: Term) -> list[str]:
    """Every name of *term* as written in the data: key, title, aliases, variants, avoid."""
    return [term.key, term.title, *term.aliases, *term.variants, *term.avoid]


# -- normalize and plural ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kernel", "kernel"),
        ("CNN", "cnn"),
        ("Convolutional_Layer", "convolutional layer"),
        ("convolutional-layer", "convolutional layer"),
        ("  Convolutional   Layer ", "convolutional layer"),
        ("U-Net", "u net"),
        ("mini-batch", "mini batch"),
        ("mini\u2014batch", "mini batch"),  # em dash
        ("mini_-_batch", "mini batch"),  # a run of separators is one space
        ("Stra\u00dfe", "strasse"),  # case-folded, not just lower-cased
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_makes_spaces_hyphens_and_underscores_equal() -> None:
    spellings = ["Activation Map", "activation-map", "activation_map", "ACTIVATION  MAP"]
    assert {normalize(s) for s in spellings} == {"activation map"}


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("batch", "batches"),  # ch -> ches
        ("brush", "brushes"),  # sh -> shes
        ("bias", "biases"),  # s -> ses
        ("box", "boxes"),  # x -> xes
        ("buzz", "buzzes"),  # z -> zes
        ("family", "families"),  # consonant + y -> ies
        ("boundary", "boundaries"),
        ("decision boundary", "decision boundaries"),  # only the last word changes
        ("key", "keys"),  # vowel + y -> ys
        ("kernel", "kernels"),
        ("feature map", "feature maps"),
        ("relu6", None),  # ends in no letter: no plural
        ("", None),
    ],
)
def test_plural(form: str, expected: str | None) -> None:
    assert plural(form) == expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("epoch", {"epoches", "epochs"}),  # a hard "ch": both spellings resolve
        ("batch", {"batches", "batchs"}),
        ("bias", {"biases"}),
        ("family", {"families"}),
        ("kernel", {"kernels"}),
        ("relu6", set()),
    ],
)
def test_plurals(form: str, expected: set[str]) -> None:
    assert set(plurals(form)) == expected
    assert plural(form) == (plurals(form)[0] if expected else None)


def _set(*specs: tuple[str, str]) -> TermSet:
    return TermSet(Term(key=key, title=title, definition=f"The {title}.") for key, title in specs)


@pytest.mark.parametrize(
    ("key", "title", "query"),
    [
        ("batch", "Batch", "batches"),
        ("family", "Family", "Families"),
        ("bias", "Bias", "BIASES"),
        ("feature-map", "Feature map", "feature_maps"),
        ("key", "Key", "keys"),
        ("epoch", "Epoch", "Epochs"),
        ("patch", "Patch", "patches"),
    ],
)
def test_lookup_finds_generated_plurals(key: str, title: str, query: str) -> None:
    termset = _set((key, title))
    found = termset.lookup(query)
    assert found is not None and found.key == key


def test_lookup_of_an_unknown_word_is_none() -> None:
    termset = _set(("batch", "Batch"))
    assert termset.lookup("batchess") is None
    assert termset.lookup("batche") is None
    assert termset.lookup("") is None
    assert termset.lookup("kernel") is None


def test_termset_is_sorted_and_sized() -> None:
    termset = _set(("zeta", "Zeta"), ("alpha", "Alpha"))
    assert len(termset) == 2
    assert [t.key for t in termset] == ["alpha", "zeta"]
    assert "alpha" in termset and "Alpha" not in termset


# -- lookup in the shipped set -----------------------------------------------------------------


def test_shipped_set_has_153_terms(shipped: TermSet) -> None:
    assert len(shipped) == EXPECTED_TERMS


def test_every_written_form_of_the_shipped_set_finds_its_term(shipped: TermSet) -> None:
    wrong = []
    for term in shipped:
        for form in written_forms(term):
            for text in (form, form.upper(), form.replace(" ", "_"), form.replace(" ", "-")):
                found = shipped.lookup(text)
                if found is None or found.key != term.key:
                    wrong.append((text, term.key, found and found.key))
    assert not wrong


def test_every_generated_plural_of_the_shipped_set_finds_its_term(shipped: TermSet) -> None:
    wrong = []
    for term in shipped:
        for form in written_forms(term):
            for many in plurals(normalize(form)):
                found = shipped.lookup(many)
                if found is None or found.key != term.key:
                    wrong.append((many, term.key, found and found.key))
    assert not wrong


def test_no_two_shipped_terms_share_a_form(shipped: TermSet) -> None:
    """Each form of each term (and its plural) resolves to that term and no other."""
    forms = shipped.forms()
    claimed: dict[str, str] = {}
    for term in shipped:
        for form in written_forms(term):
            for name in (normalize(form), *plurals(normalize(form))):
                owner = claimed.setdefault(name, term.key)
                assert owner == term.key, f"{name!r} names both {owner!r} and {term.key!r}"
                assert forms[name] == term.key
    # and forms() holds nothing that no term claims
    assert set(forms) == set(claimed)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("kernels", "kernel"),
        ("CNN", "convolutional-neural-network"),
        ("cnns", "convolutional-neural-network"),
        ("MLP", "multi-layer-perceptron-mlp"),
        ("weights", "weights-of-a-network"),
        ("U-Net", "u-net"),
        ("unet", "u-net"),
        ("Unet", "u-net"),
        ("mini-batch", "minibatch"),
        ("minibatches", "minibatch"),
        ("batches", "minibatch"),
        ("batch size", "batch-size"),
        ("activation maps", "feature-maps"),
        ("activations", "activation"),
        ("feature map", "feature-maps"),
        ("Convolutional_Layer", "convolutional-layer"),
        ("convolutional-layers", "convolutional-layer"),
        ("convolutions", "convolutional-layer"),
        ("hyper-parameters", "hyperparameter"),
        ("Biases", "bias"),
        ("decision boundaries", "decision-boundary"),
    ],
)
def test_lookup_of_shipped_forms(shipped: TermSet, text: str, key: str) -> None:
    found = shipped.lookup(text)
    assert found is not None and found.key == key


def test_lookup_of_epochs(shipped: TermSet) -> None:
    found = shipped.lookup("epochs")
    assert found is not None and found.key == "epoch"


# -- suggestions -------------------------------------------------------------------------------

MISSPELLINGS = [
    "kernal", "convolutoin", "batchs", "minibatchs", "weigths", "layer", "netwrk",
    "activatoins", "unets", "segmentation", "perceptrons", "cnnn", "lossses", "overfiting",
    "hyperparamters", "regularisations", "epochs", "dataset", "tensros", "logit vectors",
]


def test_suggest_kernal(shipped: TermSet) -> None:
    assert shipped.suggest("kernal") == ["kernel"]


@pytest.mark.parametrize("text", MISSPELLINGS)
def test_suggest_gives_at_most_3_distinct_terms_and_never_a_plural(
    shipped: TermSet, text: str
) -> None:
    hints = shipped.suggest(text)
    assert len(hints) <= 3
    keys = []
    for hint in hints:
        term = shipped.lookup(hint)
        assert term is not None, f"suggestion {hint!r} names no term"
        # a suggestion is a name as written in the data, never a generated plural
        assert hint in written_forms(term), f"{hint!r} is not a written form of {term.key!r}"
        keys.append(term.key)
    assert len(set(keys)) == len(keys), f"two suggestions for one term: {hints}"


def test_suggest_never_offers_a_generated_plural() -> None:
    termset = _set(("kernel", "Kernel"), ("batch", "Batch"))
    assert termset.suggest("kernelz") == ["kernel"]
    assert termset.suggest("batchess") == ["batch"]
    assert "kernels" not in termset.suggest("kernelss")


def test_suggest_respects_limit(shipped: TermSet) -> None:
    assert len(shipped.suggest("convolutoin")) == 3  # precondition: 3 are close
    assert len(shipped.suggest("convolutoin", limit=1)) == 1
    assert shipped.suggest("qqqqqq") == []


# -- the shipped data --------------------------------------------------------------------------


def _without_roles_autolinks_and_code(text: str) -> str:
    """*text* without what may hold ``<`` and is no HTML: roles, autolinks, code spans."""
    text = ROLE.sub("", text)
    text = re.sub(r"(`+)[^`].*?\1", "", text, flags=re.DOTALL)  # `<unk>` is shown as written
    return re.sub(r"<(https?|mailto):[^<>\s]+>", "", text)


def test_shipped_texts_contain_no_raw_html(shipped: TermSet) -> None:
    tag = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|<!--")
    bad = []
    for term in shipped:
        for name in ("title", "summary", "definition", "aliases", "variants", "avoid"):
            value = getattr(term, name)
            for text in value if isinstance(value, tuple) else [value]:
                if tag.search(_without_roles_autolinks_and_code(text)):
                    bad.append((term.key, name))
    assert not bad


def test_every_shipped_dlterm_target_is_a_key_listed_in_related(shipped: TermSet) -> None:
    unknown, unlisted = [], []
    count = 0
    for term in shipped:
        for text in (term.summary, term.definition):
            for body in ROLE.findall(text):
                target = role_target(body)
                count += 1
                if target not in shipped:
                    unknown.append((term.key, target))
                elif target not in term.related:
                    unlisted.append((term.key, target))
    assert count > 50  # the loop saw the references
    assert not unknown
    assert not unlisted


def test_every_shipped_related_key_exists(shipped: TermSet) -> None:
    bad = [(t.key, r) for t in shipped for r in t.related if r not in shipped or r == t.key]
    assert not bad


def test_shipped_tooltips_fit(shipped: TermSet) -> None:
    assert all(len(t.tooltip) <= terms.TOOLTIP_MAX for t in shipped)
    assert all(t.summary for t in shipped if len(t.definition) > terms.TOOLTIP_MAX)


def test_shipped_keys_are_slugs(shipped: TermSet) -> None:
    slug = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
    assert all(slug.fullmatch(t.key) for t in shipped)


# -- problems ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("p.yaml", "must be a list, not text", 5, "'kernel'", "aliases"),
         "p.yaml:5: entry 'kernel': field 'aliases': must be a list, not text"),
        (Problem("p.yaml", "missing (it is required)", 9, "#2", "key"),
         "p.yaml:9: entry #2: field 'key': missing (it is required)"),
        (Problem("p.yaml", "repeated field", 4, field="title"),
         "p.yaml:4: field 'title': repeated field"),
        (Problem("p.yaml", "invalid YAML: oops", 3), "p.yaml:3: invalid YAML: oops"),
        (Problem("p.yaml", "the file is empty"), "p.yaml: the file is empty"),
    ],
)
def test_problem_str(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(textwrap.dedent("""\
        terms:
          - key: foo
            title: Foo
            definition: A foo.
            related: [nope]
          - key: bar
            title: Bar
            definition: A <b>bar</b>.
    """), encoding="utf-8")
    with pytest.raises(terms.TermSetError) as info:
        terms.load(["two.yaml"], root=tmp_path)
    problems = info.value.problems
    assert [(p.file, p.line, p.entry, p.field) for p in problems] == [
        ("two.yaml", 5, "'foo'", "related"),
        ("two.yaml", 8, "'bar'", "definition"),
    ]
    assert str(info.value) == "\n".join(str(p) for p in problems)


def test_load_standalone_and_exclude(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("terms:\n  - key: foo\n    title: Foo\n    definition: A foo.\n",
                    encoding="utf-8")
    alone = terms.load([path], canonical=False)
    assert [t.key for t in alone] == ["foo"]
    assert alone.lookup("foos") is not None
    layered = terms.load([path], exclude=["tensor"])
    assert len(layered) == EXPECTED_TERMS and "tensor" not in layered and "foo" in layered


def test_json_schema_file_is_the_one_the_loader_uses() -> None:
    import json

    assert terms.schema() == json.loads((REPO / "data" / "schema.json").read_text("utf-8"))


def test_schema_with_references_in_place_reports_the_same() -> None:
    """The validator runs the schema with its ``$ref``s put in place: same errors, same words."""
    import jsonschema

    from sphinxcontrib_dlglossary.core import termfiles

    broken = {"format": 1, "terms": [
        {"key": "Bad Key", "title": "", "definition": 3, "extra": 1},
        {"key": "ok\n", "title": "x" * 81, "definition": "d", "summary": "s" * 351,
         "aliases": ["a", "a", ""], "related": ["Not-A-Key"], "tags": [1],
         "reading": [{"url": "ftp://x", "title": ""}], "everyday": "yes"},
        {"title": "no key"},
    ]}
    inlined = termfiles._validator()
    assert "$ref" not in json.dumps({k: v for k, v in inlined.schema.items() if k != "$defs"})
    plain = jsonschema.Draft202012Validator(termfiles.schema())

    def messages(validator: Any) -> list[tuple[list[Any], str | None, str]]:
        return sorted((list(e.absolute_path), *termfiles._schema_message(e))
                      for e in validator.iter_errors(broken))

    found = messages(inlined)
    assert len(found) >= 12
    assert found == messages(plain)
