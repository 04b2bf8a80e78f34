"""A reproducible course-docs corpus, written three ways from one model.

Each page is generated once, as a list of blocks (headings, paragraphs, lists, admonitions,
math and code blocks) whose sentences hold term references, and then written as three
Sphinx projects that differ only in how a reference is marked up:

``plain``
    the reference text as plain text, and Sphinx's ``glossary`` directive on the glossary
    page (nothing links to it);
``term``
    Sphinx's own ``:term:`text <Title>``` (``{term}`` in MyST) and the same ``glossary``
    page: the baseline users have today;
``dl``
    this extension: ``:dlterm:`text``` (``{dlterm}`` in MyST) and a ``dlglossary`` page
    (tooltips and backlinks on, the defaults).

Half the pages are MyST, half reStructuredText. Reference texts are titles, aliases and
plurals of the 49 canonical terms, about 20 to a page (16 to 24), drawn with a Zipf-like
frequency that favours each chapter's topic terms. Everything depends on the seed only.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sphinxcontrib_dlglossary.core import terms

__all__ = ["VARIANTS", "Corpus", "generate"]

#: The three projects, in the order the benchmark reports them.
VARIANTS = ("plain", "term", "dl")

PAGES_PER_CHAPTER = 20

#: Terms that read wrong in the plural ("overfittings"); their forms stay singular.
_NO_PLURAL = {
    "augmentation", "backpropagation", "capacity", "differentiable", "early-stopping",
    "equivariance", "generalization", "gradient-descent", "overfitting", "pooling",
    "regression", "regularization", "semantic-segmentation", "instance-segmentation",
    "transfer-learning", "weights-of-a-network", "metrics", "logits", "parameters",
    "feature-maps",
}

_TOPICS = [
    "Images as tensors", "Linear models", "Training loops", "Convolutions", "Pooling and "
    "strides", "Network depth", "Data handling", "Losses and metrics", "Optimisers",
    "Regularisation", "Segmentation", "Transfer learning", "Embeddings", "Evaluation",
    "Debugging training", "Augmentation", "U-Nets in practice", "Residual networks",
    "Microscopy data", "Model capacity",
]
_PAGE_WORDS = [
    "Exercise", "Walkthrough", "Notes", "Recap", "Lab", "Deep dive", "Worked example",
    "Case study", "Practice", "Overview",
]
_SUBJECTS = [
    "the model", "our network", "this layer", "the optimiser", "the input image",
    "the training loop", "each channel", "the dataset", "the output", "the first block",
    "a small change", "the learning rate", "the update step", "the prediction",
]
_VERBS = [
    "changes", "controls", "depends on", "affects", "limits", "shapes", "reduces",
    "increases", "determines", "constrains", "reveals", "hides",
]
_OBJECTS = [
    "the final accuracy", "the shape of the output", "how fast training converges",
    "the memory we need", "what the network can represent", "the noise in the curves",
    "the size of each step", "how well results transfer", "the running time",
    "the number of values we store",
]
_REF_TEMPLATES = [
    "In this part of the course, {r} {v} {o}.",
    "Recall that {r} {v} {o}, which we saw in the previous section.",
    "A common mistake is to confuse {r} with the raw data itself.",
    "When {s} {v} {o}, look first at {r}.",
    "We will come back to {r} when we discuss {o}.",
    "Try to predict how {r} {v} {o} before running the cell.",
    "Notice how {r} appears again here, this time on real microscopy images.",
    "The plot below shows {r} for every run we trained.",
    "Without {r}, {s} {v} {o} in ways that are hard to debug.",
    "{R} is one reason why {s} {v} {o}.",
    "It is worth writing down what {r} means for {s}.",
    "Compare the two settings and note what {r} does to {o}.",
]
_PLAIN_TEMPLATES = [
    "{S} {v} {o}.",
    "This is easy to check on a small example first.",
    "Keep the notebook open, we reuse it in the exercises.",
    "In the next cell {s} {v} {o}, so run it twice and compare.",
    "Most of the time {s} {v} {o} only a little.",
    "Nothing here is specific to biology; the same holds for any image data.",
    "Write the result into the shared table before moving on.",
]
_MATH_INLINE = [
    r"y = f(Wx + b)", r"\hat{y}", r"\mathcal{L}(\theta)", r"\eta = 10^{-3}",
    r"x \in \mathbb{R}^{C \times H \times W}", r"k \times k", r"\sigma(z)",
]
_MATH_BLOCKS = [
    r"\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}(\theta_t)",
    r"\mathcal{L} = -\frac{1}{N} \sum_{i=1}^{N} \sum_{c} y_{ic} \log \hat{y}_{ic}",
    r"H_{out} = \left\lfloor \frac{H_{in} + 2p - k}{s} \right\rfloor + 1",
    r"\mathrm{IoU} = \frac{|A \cap B|}{|A \cup B|}",
]
_CODE_INLINE = ["model.train()", "torch.no_grad()", "optimizer.step()", "x.shape", "nn.Conv2d"]
_CODE_BLOCKS = [
    "for epoch in range(num_epochs):\n    for x, y in loader:\n        optimizer.zero_grad()\n"
    "        loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()",
    "model = nn.Sequential(\n    nn.Conv2d(1, 16, kernel_size=3, padding=1),\n    nn.ReLU(),\n"
    "    nn.MaxPool2d(2),\n    nn.Conv2d(16, 32, kernel_size=3, padding=1),\n)",
    "train, val, test = random_split(dataset, [0.7, 0.15, 0.15])\n"
    "loader = DataLoader(train, batch_size=32, shuffle=True)",
    "with torch.no_grad():\n    prediction = model(image[None])\n"
    "    print(prediction.shape, prediction.min(), prediction.max())",
]
_ADMONITIONS = ["note", "tip", "warning", "important"]


# -- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """One term reference: the text a reader sees and the term it names."""

    text: str
    key: str
    title: str


#: An inline piece: ("text", str), ("ref", Ref), ("math", str), ("code", str), ("em", str).
Piece = tuple[str, object]
#: A block: ("p", [pieces]), ("list", [[pieces]...]), ("admonition", kind, [pieces]),
#: ("math", str), ("code", str), ("h2", str).
Block = tuple


@dataclass
class Page:
    docname: str
    title: str
    myst: bool
    blocks: list[Block] = field(default_factory=list)

    def refs(self) -> list[Ref]:
        out: list[Ref] = []
        for block in self.blocks:
            for pieces in _block_pieces(block):
                out += [p[1] for p in pieces if p[0] == "ref"]  # type: ignore[misc]
        return out


def _block_pieces(block: Block) -> list[list[Piece]]:
    if block[0] == "p":
        return [block[1]]
    if block[0] == "list":
        return list(block[1])
    if block[0] == "admonition":
        return [block[2]]
    return []


def _forms(termset: terms.TermSet, keys: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """Reference texts per term key, with a weight: prose title, aliases, plurals."""
    out: dict[str, list[tuple[str, float]]] = {}
    for term in (termset.terms[k] for k in keys):
        words = [w if not w[1:].islower() else w.lower() for w in term.title.split()]
        candidates: list[tuple[str, float]] = [(" ".join(words), 3.0)]
        candidates += [(alias, 1.0) for alias in term.aliases]
        if term.key not in _NO_PLURAL:
            for text, weight in list(candidates):
                if not text.endswith("s") and (p := terms.plural(text)):
                    candidates.append((p, weight * 0.6))
        seen: set[str] = set()
        kept = []
        for text, weight in candidates:
            found = termset.lookup(text)
            if found is None or found.key != term.key or text.casefold() in seen:
                continue
            seen.add(text.casefold())
            kept.append((text, weight))
        out[term.key] = kept
    return out


class _Generator:
    def __init__(self, seed: int, termset: terms.TermSet | None = None,
                 referenced: int | None = None, only: Sequence[str] | None = None) -> None:
        self.termset = termset or terms.load_canonical()
        rng = random.Random(seed)
        keys = sorted(only if only is not None else self.termset.terms)
        rng.shuffle(keys)
        if referenced is not None:  # pages reference a subset of the terms only
            keys = sorted(keys[:referenced])
            rng.shuffle(keys)
        self.forms = _forms(self.termset, keys)
        # Zipf-like global popularity: a few terms (loss, layer...) everywhere, a long tail.
        self.keys = keys
        self.popularity = [1.0 / (rank + 1) ** 0.9 for rank in range(len(keys))]
        self.seed = seed

    def ref(self, rng: random.Random, topic: list[str]) -> Ref:
        if rng.random() < 0.55:
            key = rng.choice(topic)
        else:
            key = rng.choices(self.keys, weights=self.popularity)[0]
        texts, weights = zip(*self.forms[key], strict=True)
        text = rng.choices(texts, weights=weights)[0]
        return Ref(text, key, self.termset.terms[key].title)

    def sentence(self, rng: random.Random, ref: Ref | None) -> list[Piece]:
        template = rng.choice(_REF_TEMPLATES if ref else _PLAIN_TEMPLATES)
        values = {"s": rng.choice(_SUBJECTS), "v": rng.choice(_VERBS),
                  "o": rng.choice(_OBJECTS)}
        values["S"] = values["s"][:1].upper() + values["s"][1:]
        pieces: list[Piece] = []
        for i, part in enumerate(re.split(r"(\{[rR]\})", template)):
            if i % 2:
                assert ref is not None
                text = ref.text
                if part == "{R}":  # sentence start
                    text = text[:1].upper() + text[1:]
                pieces.append(("ref", Ref(text, ref.key, ref.title)))
            elif part:
                pieces.append(("text", part.format(**values)))
        # Some inline math, code or emphasis, as course prose has.
        roll = rng.random()
        if roll < 0.12:
            pieces += [("text", " Here "), ("math", rng.choice(_MATH_INLINE)),
                       ("text", " in our notation.")]
        elif roll < 0.22:
            pieces += [("text", " In code this is "), ("code", rng.choice(_CODE_INLINE)),
                       ("text", ".")]
        elif roll < 0.28:
            pieces += [("text", " This is "), ("em", "not"), ("text", " optional.")]
        return pieces

    def paragraph(self, rng: random.Random, refs: Sequence[Ref | None]) -> list[Piece]:
        pieces: list[Piece] = []
        for ref in refs:
            if pieces:
                pieces.append(("text", " "))
            pieces += self.sentence(rng, ref)
        return pieces

    def page(self, number: int, chapter: int, docname: str, topic: list[str]) -> Page:
        rng = random.Random(f"{self.seed}-page-{number}")
        title = f"{_TOPICS[chapter % len(_TOPICS)]}: {rng.choice(_PAGE_WORDS)} {number + 1}"
        page = Page(docname, title, myst=rng.random() < 0.5)
        n_refs = rng.randint(16, 24)
        # Slots: about 50 sentences a page, n_refs of them hold a reference.
        slots: list[Ref | None] = [self.ref(rng, topic) for _ in range(n_refs)]
        slots += [None] * (50 - n_refs)
        rng.shuffle(slots)
        position = 0

        def take(count: int) -> list[Ref | None]:
            nonlocal position
            chunk = slots[position:position + count]
            position += count
            return chunk + [None] * (count - len(chunk))

        blocks: list[Block] = [("p", self.paragraph(rng, take(4)))]
        for section in range(3):
            blocks.append(("h2", f"{rng.choice(_PAGE_WORDS)} part {section + 1}"))
            for kind in rng.sample(["p", "p", "list", "admonition", "math", "code"], 5):
                if kind == "p":
                    blocks.append(("p", self.paragraph(rng, take(rng.randint(3, 6)))))
                elif kind == "list":
                    items = [self.sentence(rng, s) for s in take(rng.randint(3, 4))]
                    blocks.append(("list", items))
                elif kind == "admonition":
                    blocks.append(("admonition", rng.choice(_ADMONITIONS),
                                   self.paragraph(rng, take(2))))
                elif kind == "math":
                    blocks.append(("math", rng.choice(_MATH_BLOCKS)))
                else:
                    blocks.append(("code", rng.choice(_CODE_BLOCKS)))
        rest = [s for s in slots[position:] if s is not None]
        if rest:  # every drawn reference ends up on the page
            blocks.append(("p", self.paragraph(rng, rest)))
        page.blocks = blocks
        return page


# -- writing ---------------------------------------------------------------------------------


def _rst_escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    return re.sub(r"([*`|_])", r"\\\1", text)


def _inline(pieces: list[Piece], myst: bool, variant: str) -> str:
    out = []
    for kind, value in pieces:
        if kind == "text":
            out.append(str(value))
        elif kind == "ref":
            ref: Ref = value  # type: ignore[assignment]
            if variant == "plain":
                out.append(ref.text)
            elif variant == "term":
                role = "{term}" if myst else ":term:"
                out.append(f"{role}`{ref.text} <{ref.title}>`")
            else:
                role = "{dlterm}" if myst else ":dlterm:"
                out.append(f"{role}`{ref.text}`")
        elif kind == "math":
            out.append(f"${value}$" if myst else f":math:`{value}`")
        elif kind == "code":
            out.append(f"`{value}`" if myst else f"``{value}``")
        elif kind == "em":
            out.append(f"*{value}*")
    return "".join(out)


def _heading(text: str, level: int, myst: bool) -> str:
    if myst:
        return f"{'#' * level} {text}\n"
    return f"{text}\n{'=-'[level - 1] * len(text)}\n"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


def render_page(page: Page, variant: str) -> str:
    myst = page.myst
    parts = [_heading(page.title, 1, myst)]
    for block in page.blocks:
        kind = block[0]
        if kind == "h2":
            parts.append(_heading(block[1], 2, myst))
        elif kind == "p":
            parts.append(_inline(block[1], myst, variant) + "\n")
        elif kind == "list":
            parts.append("".join(f"- {_inline(item, myst, variant)}\n" for item in block[1]))
        elif kind == "admonition":
            body = _inline(block[2], myst, variant)
            if myst:
                parts.append(f"```{{{block[1]}}}\n{body}\n```\n")
            else:
                parts.append(f".. {block[1]}::\n\n   {body}\n")
        elif kind == "math":
            if myst:
                parts.append(f"$$\n{block[1]}\n$$\n")
            else:
                parts.append(f".. math::\n\n   {block[1]}\n")
        elif kind == "code":
            if myst:
                parts.append(f"```python\n{block[1]}\n```\n")
            else:
                parts.append(f".. code-block:: python\n\n{_indent(block[1], '   ')}\n")
    return "\n".join(parts)


def _plain_definition(text: str) -> str:
    """A MyST definition as plain rST text: roles and links keep their text only."""
    text = re.sub(r"\{dlterm\}`([^`<]*?)\s*<[^`>]*>`", r"\1", text)
    text = re.sub(r"\{dlterm\}`!?~?([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)\s]+\)", r"\1", text)
    text = text.replace("**", "")
    return _rst_escape(" ".join(text.split()))


def sphinx_glossary(termset: terms.TermSet) -> str:
    """The baseline glossary page: Sphinx's ``glossary`` with every title and alias."""
    lines = ["Glossary", "========", "", ".. glossary::", ""]
    seen: set[str] = set()
    for term in termset:
        names = [n for n in (term.title, *term.aliases) if n.casefold() not in seen]
        seen.update(n.casefold() for n in names)
        lines += [f"   {_rst_escape(name)}" for name in names]
        lines += [f"      {_plain_definition(term.definition)}", ""]
    return "\n".join(lines)


CONF = {
    "plain": 'extensions = ["myst_parser"]\n',
    "term": 'extensions = ["myst_parser"]\n',
    "dl": 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n',
    # the term-set size case: the extension with the set cut back to SMALL_SET_KEYS
    "dl-small": 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n',
}
#: The term set before 2.0.0 (the course glossary's 49 keys), for the term-set size case.
FIRST_SET_FILE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "terms-1.0.0.yaml"


def first_set_keys() -> list[str]:
    """The keys of the term set's first version (1.0.0), every one still in the set."""
    import yaml

    data = yaml.safe_load(FIRST_SET_FILE.read_text(encoding="utf-8"))
    return sorted(entry["key"] for entry in data["terms"])
CONF_COMMON = (
    'project = "Deep learning for microscopy (benchmark corpus)"\n'
    'myst_enable_extensions = ["dollarmath"]\n'
    'exclude_patterns = ["_build"]\n'
)


@dataclass
class Corpus:
    """The generated projects and what the benchmark needs to know about them."""

    root: Path
    pages: int
    myst_pages: int
    references: int
    #: Docname of the page the incremental benchmark edits.
    edit_docname: str
    #: variant -> (file path relative to the project, original text, edited text)
    edits: dict[str, tuple[str, str, str]]
    documents: int = 0
    #: Terms in the set (canonical and project) and how many the pages reference.
    terms: int = 0
    referenced_terms: int = 0

    def src(self, variant: str) -> Path:
        return self.root / variant

    def to_json(self) -> dict[str, object]:
        return {"pages": self.pages, "myst_pages": self.myst_pages,
                "references": self.references, "documents": self.documents,
                "edit_docname": self.edit_docname, "terms": self.terms,
                "referenced_terms": self.referenced_terms}


# -- the scale case: thousands of project terms -------------------------------------------

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
_NOUNS = [
    "layer", "loss", "map", "kernel", "filter", "embedding", "sampler", "norm", "schedule",
    "metric", "block", "head", "encoder", "decoder", "gate", "transform", "score", "prior",
    "mask", "estimator",
]
_SCALE_TAGS = ["architecture", "training", "data", "evaluation", "optimisation", "imaging"]
_SCALE_SENTENCES = [
    "It {v} {o} in most of the models we train.",
    "Practitioners tune it together with the learning rate.",
    "A small change to it {v} {o}.",
    "It is computed once per batch and kept for the next step.",
    "Reported results usually state which variant was used.",
]


def _word(number: int) -> str:
    """A made-up word, different for every *number* (three syllables, base 70)."""
    count = len(_SYLLABLES)
    parts = [_SYLLABLES[number // count ** 2 % count], _SYLLABLES[number // count % count],
             _SYLLABLES[number % count]]
    return "".join(parts)


def scale_terms(count: int, seed: int) -> list[dict[str, object]]:
    """*count* made-up project terms, as term-file entries (key, title, definition...).

    Titles are a made-up word and a noun ("Kabefo filter"), so no form of one names
    another term or a canonical one. About a third of the definitions reference another
    project term with ``{dlterm}``, a tenth hold inline math, a quarter have an alias and
    a third related terms, so the glossary page links to many terms.
    """
    rng = random.Random(f"{seed}-terms")
    titles = [f"{_word(1000 + 7 * i).capitalize()} {rng.choice(_NOUNS)}" for i in range(count)]
    keys = [t.lower().replace(" ", "-") for t in titles]
    entries: list[dict[str, object]] = []
    for i, (key, title) in enumerate(zip(keys, titles, strict=True)):
        noun = title.split()[1]
        sentences = [f"A {noun} that {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}."]
        for _ in range(rng.randint(1, 2)):
            sentences.append(rng.choice(_SCALE_SENTENCES).format(
                v=rng.choice(_VERBS), o=rng.choice(_OBJECTS)))
        if rng.random() < 0.35:
            other = rng.randrange(count)
            if other != i:
                sentences.append(f"Compare {{dlterm}}`{titles[other].lower()}`.")
        if rng.random() < 0.1:
            sentences.append(f"Written ${rng.choice(_MATH_INLINE)}$.")
        entry: dict[str, object] = {"key": key, "title": title,
                                    "definition": " ".join(sentences)}
        if rng.random() < 0.25:
            other_noun = rng.choice([n for n in _NOUNS if n != noun])
            entry["aliases"] = [f"{title.split()[0]} {other_noun}"]
        if rng.random() < 0.33:
            related = sorted({keys[rng.randrange(count)] for _ in range(rng.randint(1, 3))}
                             - {key})
            if related:
                entry["related"] = related
        entry["tags"] = [rng.choice(_SCALE_TAGS)]
        entries.append(entry)
    return entries


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def write_term_file(path: Path, entries: list[dict[str, object]]) -> None:
    """The entries as a YAML term file, one block per term (as people write them)."""
    lines = ["version: 1", "terms:"]
    for entry in entries:
        first = True
        for name, value in entry.items():
            if isinstance(value, list):
                text = "[" + ", ".join(_yaml_string(str(v)) for v in value) + "]"
            else:
                text = _yaml_string(str(value))
            lines.append(f"  {'- ' if first else '  '}{name}: {text}")
            first = False
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _edited(gen: _Generator, page: Page) -> Page:
    """The same page with three references pointing at other terms, and one more reference."""
    rng = random.Random(f"{gen.seed}-edit")
    count = 0
    blocks: list[Block] = []
    for block in page.blocks:
        if block[0] == "p" and count < 3:
            pieces = []
            for kind, value in block[1]:
                if kind == "ref" and count < 3:
                    count += 1
                    value = gen.ref(rng, gen.keys[-10:])
                pieces.append((kind, value))
            block = ("p", pieces)
        blocks.append(block)
    blocks.append(("p", gen.sentence(rng, gen.ref(rng, gen.keys[-10:]))))
    return Page(page.docname, page.title, page.myst, blocks)


TERM_FILE = "terms.yaml"


def generate(root: Path, pages: int = 300, seed: int = 2024, *, project_terms: int = 0,
             referenced: int = 500, variants: Sequence[str] = VARIANTS,
             small_set: Sequence[str] | None = None) -> Corpus:
    """Write the projects under *root* (replacing what is there) and describe them.

    With *project_terms*, the ``dl`` project also loads a term file of that many made-up
    terms (:func:`scale_terms`), the ``term`` and ``plain`` projects' glossary lists them
    too, and pages reference *referenced* terms of the whole set (canonical and project).
    With *small_set* (canonical keys), pages reference only those terms, and the
    ``dl-small`` project excludes every other canonical term (``dlglossary_exclude``): the
    same pages, built with the whole set and with the small one.
    """
    if root.exists():
        if any(root.iterdir()) and not (root / "corpus.json").exists():
            raise SystemExit(f"{root} is not empty and holds no corpus.json: not replacing it")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    termset = None
    if project_terms:
        write_term_file(root / TERM_FILE, scale_terms(project_terms, seed))
        termset = terms.load([root / TERM_FILE])
    gen = _Generator(seed, termset, referenced if project_terms else None, small_set)
    chapters = max(1, -(-pages // PAGES_PER_CHAPTER))
    rng = random.Random(f"{seed}-chapters")
    model: list[tuple[int, list[Page]]] = []
    number = 0
    for chapter in range(chapters):
        topic = rng.sample(gen.keys, 8)
        chapter_pages = []
        for _ in range(min(PAGES_PER_CHAPTER, pages - number)):
            docname = f"ch{chapter + 1:02d}/page{number + 1:04d}"
            chapter_pages.append(gen.page(number, chapter, docname, topic))
            number += 1
        model.append((chapter, chapter_pages))
    all_pages = [p for _, ps in model for p in ps]
    target = all_pages[len(all_pages) // 2]
    edited = _edited(gen, target)

    edits: dict[str, tuple[str, str, str]] = {}
    for variant in variants:
        src = root / variant
        src.mkdir(parents=True)
        conf = CONF[variant] + CONF_COMMON
        if variant == "dl" and project_terms:
            shutil.copyfile(root / TERM_FILE, src / TERM_FILE)
            conf += f"dlglossary_term_files = [{TERM_FILE!r}]\n"
        if variant == "dl-small":
            left_out = sorted(set(gen.termset.terms) - set(small_set or ()))
            conf += f"dlglossary_exclude = {left_out!r}\n"
        (src / "conf.py").write_text(conf, encoding="utf-8")
        toc = [f"ch{c + 1:02d}/index" for c, _ in model]
        (src / "index.rst").write_text(
            "Deep learning for microscopy\n============================\n\n"
            "Course notes, one chapter a week.\n\n.. toctree::\n   :maxdepth: 2\n\n"
            + "".join(f"   {d}\n" for d in [*toc, "glossary"]), encoding="utf-8")
        if variant.startswith("dl"):
            glossary = "Glossary\n========\n\n.. dlglossary::\n"
        else:
            glossary = sphinx_glossary(gen.termset)
        (src / "glossary.rst").write_text(glossary, encoding="utf-8")
        for chapter, chapter_pages in model:
            folder = src / f"ch{chapter + 1:02d}"
            folder.mkdir()
            title = _TOPICS[chapter % len(_TOPICS)] + f" (week {chapter + 1})"
            (folder / "index.rst").write_text(
                f"{title}\n{'=' * len(title)}\n\n.. toctree::\n   :maxdepth: 1\n\n"
                + "".join(f"   {p.docname.split('/')[1]}\n" for p in chapter_pages),
                encoding="utf-8")
            for page in chapter_pages:
                suffix = ".md" if page.myst else ".rst"
                (src / (page.docname + suffix)).write_text(render_page(page, variant),
                                                           encoding="utf-8")
        suffix = ".md" if target.myst else ".rst"
        edits[variant] = (target.docname + suffix, render_page(target, variant),
                          render_page(edited, variant))
    corpus = Corpus(
        root=root, pages=len(all_pages), myst_pages=sum(p.myst for p in all_pages),
        references=sum(len(p.refs()) for p in all_pages), edit_docname=target.docname,
        edits=edits, documents=len(all_pages) + len(model) + 2,
        terms=len(gen.termset), referenced_terms=len({r.key for p in all_pages
                                                      for r in p.refs()}),
    )
    (root / "corpus.json").write_text(json.dumps(corpus.to_json(), indent=2) + "\n",
                                      encoding="utf-8")
    return corpus


if __name__ == "__main__":  # python benchmarks/corpus.py [PAGES] [DIR]: just write it
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    where = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "_corpus"
    made = generate(where, count)
    print(json.dumps(made.to_json(), indent=2))
