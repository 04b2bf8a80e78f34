// The mystmd plugin: the {dlterm} role, the dlglossary directive, and two transforms.
//
// What it relies on in mystmd (checked against mystmd 1.8; the docs page "Jupyter Book 2
// and mystmd" says the same):
// - a role returns nodes; a `crossReference` whose identifier is a `definitionTerm`'s is
//   resolved across pages, and the theme shows that term's definition on hover;
// - a directive gets `ctx.parseMyst` to parse MyST text (the definitions);
// - every page's "document" transforms run before any page's "project" transforms (there
//   is no whole-project API): the document transform records which page uses which term,
//   the project transform writes the backlinks into the glossary page from that record;
// - a node with an `identifier` is a target that a `crossReference` on any page resolves
//   to, with the URL of its page: each page gets an empty target of its own, and the
//   glossary page holds hidden references to them, which is how it learns the pages' URLs.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";

const RULE = "dlglossary";
const SHOWN_PAGES = 5;
const SKIPPED_FOLDERS = new Set(["_build", "node_modules", "__pycache__"]);

/** page (absolute path) -> { title, uses: [{ key, section }] }, in the order of use. */
const PAGES = new Map();

function text(value) {
  return { type: "text", value };
}

const SOURCES = new Map();

/** Where *node* is in *file*. mystmd gives an inline node the line its paragraph starts
 * on and a column counted through the paragraph's line breaks: the real line and column
 * come from the source, where it holds the node's text there (MyST pages; a notebook's
 * positions are its cell's). */
function place(node, file) {
  const start = node && node.position && node.position.start;
  if (!start) return undefined;
  try {
    if (!SOURCES.has(file)) SOURCES.set(file, readFileSync(file, "utf8"));
    const source = SOURCES.get(file);
    let at = 0;
    for (let line = 1; line < start.line; line++) at = source.indexOf("\n", at) + 1;
    const offset = at + start.column - 1;
    if (extname(file) === ".md" && at > 0 === start.line > 1
        && source.startsWith(`{${node.name || ""}}`, offset)) {
      const before = source.slice(at, offset);
      const breaks = before.split("\n").length - 1;
      const column = breaks ? before.length - before.lastIndexOf("\n") : start.column;
      const point = { line: start.line + breaks, column };
      return { start: point, end: point };
    }
  } catch { /* mystmd's own position */ }
  return node.position;
}

function warn(vfile, message, position, subtype) {
  const note = vfile.message(message, position, `${RULE}:${subtype}`);
  note.fatal = false;
  note.ruleId = `${RULE}-${subtype}`;
  return note;
}

/** A link to the entry of *key* (resolved by mystmd like the built-in {term}). */
function termReference(key, shown) {
  return {
    type: "crossReference",
    identifier: key,
    label: key,
    class: "dlterm",
    dlterm: key,
    children: [text(shown)],
  };
}

const dltermRole = {
  name: "dlterm",
  doc: "A link to a term of the canonical deep-learning glossary (sphinxcontrib-dlglossary): "
    + "{dlterm}`kernels`, {dlterm}`the kernel <kernel>`, {dlterm}`!kernel` (not linked).",
  body: { type: String, required: true },
  run(data, vfile) {
    const body = parseRoleBody(data.body);
    if (body.suppressed) return [text(body.text)];
    const key = lookup(body.target);
    if (key === null) {
      // Warned by the document transform (as the directive's): mystmd prints a role's
      // own warnings but `myst build --strict` does not count them.
      return [{ type: "emphasis", class: "dlterm-unknown", children: [text(body.text)],
        dlglossaryWarnings: [{ message: unknownTermMessage(body.target),
          position: place(data.node, vfile.path), subtype: "unknown-term" }] }];
    }
    return [termReference(key, body.text)];
  },
};

// --- Definitions: the safe subset ----------------------------------------------------

/** Node types the safe MyST subset (core/safemarkup.py) can give, as mystmd parses it. */
const SAFE = new Set([
  "root", "block", "paragraph", "text", "emphasis", "strong", "inlineCode", "code",
  "inlineMath", "math", "list", "listItem", "link", "break", "mystRole",
  "crossReference", "subscript", "superscript",
]);

/** *nodes* with everything outside the safe subset taken out (the term-file checks
 * refuse it already: this holds should mystmd parse a text otherwise than Python). */
function safe(nodes) {
  const out = [];
  for (const node of nodes) {
    if (!SAFE.has(node.type)) continue;
    if (node.type === "mystRole" && node.name !== "dlterm") continue;
    if (node.type === "link" && !/^https?:\/\//i.test(node.url || "")) {
      out.push(...safe(node.children || []));
      continue;
    }
    if (node.type === "crossReference" && !node.dlterm) continue;
    const copy = { ...node };
    if (node.children) copy.children = safe(node.children);
    out.push(copy);
  }
  return out;
}

function parsed(ctx, source) {
  return safe(ctx.parseMyst(source).children || []);
}

// --- The glossary ------------------------------------------------------------------

function tagsOption(value) {
  return String(value || "").replace(/,/g, " ").split(/\s+/).filter(Boolean);
}

function labelled(label, parts) {
  return { type: "paragraph", children: [{ type: "strong", children: [text(label)] },
    text(" "), ...parts] };
}

function joined(nodes, separator) {
  return nodes.flatMap((node, i) => (i ? [text(separator), node] : [node]));
}

function entry(term, ctx) {
  const description = [];
  const linked = new Set();
  if (term.summary) description.push(...parsed(ctx, term.summary));
  description.push(...parsed(ctx, term.definition));
  for (const node of description) {
    visitAll(node, (n) => { if (n.dlterm) linked.add(n.dlterm); });
  }
  if (term.aliases && term.aliases.length) {
    description.push(labelled("Also:", joined(term.aliases.map(
      (alias) => ({ type: "emphasis", children: [text(alias)] })), ", ")));
  }
  const related = (term.related || []).filter((key) => DATA.terms[key] && !linked.has(key));
  if (related.length) {
    description.push(labelled("Related:", joined(related.map(
      (key) => termReference(key, DATA.terms[key].title)), ", ")));
  }
  const reading = (term.reading || []).filter((r) => /^https?:\/\//.test(r.url));
  if (reading.length) {
    description.push(labelled("Further reading:", joined(reading.map(
      (r) => ({ type: "link", url: r.url, children: [text(r.title)] })), "; ")));
  }
  if (term.tags && term.tags.length) {
    description.push(labelled("Tags:", joined(term.tags.map(
      (tag) => ({ type: "inlineCode", value: tag })), " ")));
  }
  description.push({ type: "paragraph", dlglossaryBacklinks: term.key, children: [] });
  return [
    {
      type: "definitionTerm",
      identifier: term.key,
      label: term.key,
      html_id: term.key,
      dlglossaryEntry: term.key,
      children: [{ type: "strong", children: [text(term.title)] }],
    },
    { type: "definitionDescription", dlglossaryEntry: term.key, children: description },
  ];
}

function visitAll(node, fn) {
  fn(node);
  for (const child of node.children || []) visitAll(child, fn);
}

/** The project folder: the nearest folder up from *file* that holds myst.yml. */
function projectFolder(file) {
  let dir = dirname(resolve(file));
  for (;;) {
    try {
      statSync(join(dir, "myst.yml"));
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) return dirname(resolve(file));
      dir = up;
    }
  }
}

/** The project's pages that may use a term: .md and .ipynb files that hold "{dlterm}". */
function candidatePages(root) {
  const found = [];
  const walk = (dir) => {
    let names;
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      if (entry.name.startsWith(".") || SKIPPED_FOLDERS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if ([".md", ".ipynb"].includes(extname(entry.name))) {
        try {
          if (readFileSync(path, "utf8").includes("{dlterm}")) found.push(path);
        } catch { /* unreadable: no candidate */ }
      }
    }
  };
  walk(root);
  return found;
}

/** FNV-1a, 32 bits, as 8 hex digits: the id of a page's own target. */
function fnv(value) {
  let hash = 0x811c9dc5;
  for (const char of value) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

function pageTarget(file) {
  return `dlglossary-page-${fnv(resolve(file))}`;
}

const glossaryDirective = {
  name: "dlglossary",
  doc: "The glossary of the canonical deep-learning term set (sphinxcontrib-dlglossary), "
    + "with backlinks to the pages that use each term.",
  options: {
    tags: { type: String, doc: "Only terms with one of these tags (comma- or space-separated)." },
    "used-only": { type: Boolean, doc: "Only the terms the project uses." },
    backlinks: { type: Boolean, doc: "Backlinks to the pages that use a term (default: true)." },
  },
  run(data, vfile, ctx) {
    const options = data.options || {};
    const tags = tagsOption(options.tags);
    const known = new Set(Object.values(DATA.terms).flatMap((t) => t.tags || []));
    const warnings = tags.filter((tag) => !known.has(tag)).map((tag) => ({
      message: `dlglossary: unknown tag ${pyRepr(tag)} (known tags: `
        + `${[...known].sort().join(", ")})`,
      position: data.node && data.node.position, subtype: "directive" }));
    const keys = DATA.order.filter((key) => !tags.length
      || (DATA.terms[key].tags || []).some((tag) => tags.includes(tag)));
    const items = keys.flatMap((key) => entry(DATA.terms[key], ctx));
    const root = projectFolder(vfile.path);
    const pages = candidatePages(root).filter((path) => resolve(path) !== resolve(vfile.path));
    return [{
      type: "div",
      class: "dlglossary",
      dlglossaryWarnings: warnings,
      dlglossary: {
        usedOnly: Boolean(options["used-only"]),
        backlinks: options.backlinks !== false,
      },
      children: [
        { type: "definitionList", class: "glossary dlglossary-list", children: items },
        // Hidden: one reference to each page's own target, resolved by mystmd to the
        // page's URL and read (then removed) by the project transform.
        {
          type: "div",
          dlglossaryPages: true,
          children: pages.map((path) => ({
            type: "crossReference", identifier: pageTarget(path), label: pageTarget(path),
            dlglossaryPage: resolve(path), children: [],
          })),
        },
      ],
    }];
  },
};

// --- Transforms ----------------------------------------------------------------------

function headingText(node) {
  let out = "";
  visitAll(node, (n) => { if (n.type === "text") out += n.value; });
  return out.trim();
}

/** The title a page's own text gives it, as mystmd takes it: the frontmatter's title,
 * else the first heading when it opens the page (mystmd lifts it out of the page before
 * plugins see it); for a notebook, in its first markdown cell. */
function sourceTitle(source) {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  const title = front && /^title:[ \t]*(.+?)[ \t]*$/m.exec(front[1]);
  if (title) return title[1].replace(/^(['"])(.*)\1$/, "$2");
  const body = front ? source.slice(front[0].length) : source;
  const heading = /^\s*#[ \t]+(.+?)[ \t#]*$/m.exec(body);
  return heading && body.slice(0, heading.index).trim() === "" ? heading[1] : null;
}

function pageTitle(file) {
  try {
    const source = readFileSync(file, "utf8");
    if (extname(file) !== ".ipynb") return sourceTitle(source) || basename(file, extname(file));
    const notebook = JSON.parse(source);
    const title = notebook.metadata && notebook.metadata.title;
    if (typeof title === "string" && title) return title;
    const cell = (notebook.cells || []).find((c) => c.cell_type === "markdown");
    const text = cell && (Array.isArray(cell.source) ? cell.source.join("") : cell.source);
    return (text && sourceTitle(text)) || basename(file, extname(file));
  } catch {
    return basename(file, extname(file));
  }
}

/** Document stage, every page: its own target, and which terms it uses, where. */
const recordUses = {
  name: "dlglossary-record-uses",
  stage: "document",
  plugin: () => (tree, vfile) => {
    const file = resolve(vfile.path);
    const uses = [];
    let section = "";
    const walk = (node) => {
      for (const note of node.dlglossaryWarnings || []) {
        warn(vfile, note.message, note.position, note.subtype);
      }
      if (node.dlglossary) return; // a glossary's own links are no uses
      if (node.type === "heading") section = headingText(node);
      if (node.type === "crossReference" && node.dlterm) {
        uses.push({ key: node.dlterm, section });
        return;
      }
      for (const child of node.children || []) walk(child);
    };
    walk(tree);
    PAGES.set(file, { title: pageTitle(file), uses });
    // The page's own target (an empty span), for the glossary page to learn its URL.
    const target = { type: "span", identifier: pageTarget(file), label: pageTarget(file),
      children: [] };
    const first = (tree.children || []).find((n) => n.type === "block");
    if (first) first.children = [...(first.children || []), target];
    else tree.children = [...(tree.children || []), { type: "block", children: [target] }];
  },
};

function plural(count, one, many) {
  return (count === 1 ? one : many).replace("%d", String(count));
}

function backlinks(key, pages) {
  const using = [];
  for (const [file, page] of PAGES) {
    const here = page.uses.filter((use) => use.key === key);
    const link = pages.get(file);
    if (here.length && link) using.push({ page, here, link });
  }
  if (!using.length) return null;
  const items = using.map(({ page, here, link }, i) => {
    const notes = [];
    if (i < SHOWN_PAGES && here[0].section) notes.push(here[0].section);
    if (i < SHOWN_PAGES && here.length > 1) notes.push(plural(here.length, "%d use", "%d uses"));
    const node = { ...link, children: [text(page.title)] };
    return notes.length ? [node, text(` (${notes.join("; ")})`)] : [node];
  });
  const shown = items.slice(0, SHOWN_PAGES);
  const rest = items.slice(SHOWN_PAGES);
  const head = labelled(plural(using.length, "Used on %d page:", "Used on %d pages:"),
    shown.flatMap((parts, i) => (i ? [text(", "), ...parts] : parts)));
  head.class = "dlglossary-used-on";
  if (!rest.length) return [head];
  return [head, {
    type: "details",
    class: "dlglossary-more",
    children: [
      { type: "summary", children: [text(plural(rest.length, "and %d more page",
        "and %d more pages"))] },
      { type: "paragraph", children: rest.flatMap((parts, i) => (i ? [text(", "), ...parts]
        : parts)) },
    ],
  }];
}

/** Project stage, the glossary page: backlinks from the record of every page. */
const writeBacklinks = {
  name: "dlglossary-backlinks",
  stage: "project",
  plugin: () => (tree) => {
    const glossaries = [];
    visitAll(tree, (node) => { if (node.dlglossary) glossaries.push(node); });
    for (const glossary of glossaries) {
      const pages = new Map();
      const hidden = glossary.children.find((n) => n.dlglossaryPages);
      for (const ref of (hidden && hidden.children) || []) {
        if (ref.url) {
          pages.set(ref.dlglossaryPage, { type: "link", url: ref.url, dataUrl: ref.dataUrl,
            internal: true, children: [] });
        }
      }
      glossary.children = glossary.children.filter((n) => !n.dlglossaryPages);
      const used = new Set([...PAGES.values()].flatMap((p) => p.uses.map((u) => u.key)));
      for (const list of glossary.children) {
        if (list.type !== "definitionList") continue;
        if (glossary.dlglossary.usedOnly) {
          list.children = list.children.filter((n) => used.has(n.dlglossaryEntry));
        }
        for (const description of list.children) {
          if (description.type !== "definitionDescription") continue;
          const at = description.children.findIndex((n) => n.dlglossaryBacklinks);
          const made = glossary.dlglossary.backlinks
            ? backlinks(description.dlglossaryEntry, pages) : null;
          description.children.splice(at, 1, ...(made || []));
        }
      }
    }
  },
};

export default {
  name: "sphinxcontrib-dlglossary",
  roles: [dltermRole],
  directives: [glossaryDirective],
  transforms: [recordUses, writeBacklinks],
};
