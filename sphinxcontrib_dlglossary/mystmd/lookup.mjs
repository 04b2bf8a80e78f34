// The lookup rules of sphinxcontrib-dlglossary, in JavaScript, for the mystmd plugin.
//
// Each function is a line-by-line port of its Python original, named beside it; the
// test tests/mystmd/test_lookup_parity.py runs every form of every shipped term (and
// misspellings of them) through both and compares. The data that Python's Unicode tables
// would give differently from JavaScript's (which characters separate words, how a
// character is case-folded) comes from Python, in DATA (written by `dlglossary export
// --format mystmd`), so that both sides fold and split the same way.
//
// This block is copied into dlglossary.mjs between the DATA and the plugin.

/** Code points of a string (Python iterates a str by code point, not UTF-16 unit). */
function codePoints(text) {
  return Array.from(text);
}

const SEPARATORS = new RegExp(DATA.separators, "gu");
const FOLD = DATA.casefold;

/** Python's str.casefold(), one character at a time (casefold has no context). */
function casefold(text) {
  let out = "";
  for (const char of text) {
    const folded = FOLD[char];
    out += folded === undefined ? char.toLowerCase() : folded;
  }
  return out;
}

/** core/naming.py normalize(): NFKC, case-folded, spaces, hyphens and underscores equal. */
export function normalize(text) {
  let folded;
  if (/^[\x00-\x7f]*$/.test(text)) {
    folded = text.toLowerCase();
  } else {
    folded = casefold(text.normalize("NFKC")).normalize("NFKC");
  }
  // Every run of white space became one space: Python's strip() has only spaces to strip.
  return folded.replace(SEPARATORS, " ").replace(/^ +| +$/g, "");
}

/** core/rolesyntax.py parse_role_body(): `target`, `text <target>`, `!target`. */
export function parseRoleBody(body) {
  const stripped = body.replace(/^[ \n!~]+/, "");
  const lead = body.length - stripped.length;
  const suppressed = body.replace(/^\s+/u, "").startsWith("!");
  const match = /^([\s\S]*?)\s*<([^<>]+)>\s*$/u.exec(body.slice(lead));
  if (match && match[1]) {
    return { text: match[1], target: match[2].trim(), suppressed, explicit: true };
  }
  const end = body.trimEnd().length;
  const text = body.slice(lead, Math.max(lead, end));
  return { text, target: text, suppressed, explicit: false };
}

/** core/model.py TermSet.lookup(): the key of the term *text* names, or null. */
export function lookup(text) {
  const key = DATA.forms[normalize(text)];
  return key === undefined ? null : key;
}

// difflib.SequenceMatcher.ratio() and difflib.get_close_matches(), as CPython 3.11 has
// them, for sequences shorter than 200 items (no "popular" items, no junk): names are.

function matchingCharacters(a, b) {
  const b2j = new Map();
  b.forEach((char, j) => {
    if (!b2j.has(char)) b2j.set(char, []);
    b2j.get(char).push(j);
  });
  const longest = (alo, ahi, blo, bhi) => {
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map();
    for (let i = alo; i < ahi; i++) {
      const newj2len = new Map();
      for (const j of b2j.get(a[i]) || []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) || 0) + 1;
        newj2len.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = newj2len;
    }
    return [besti, bestj, bestsize];
  };
  let matched = 0;
  const queue = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop();
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k) {
      matched += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
  }
  return matched;
}

function ratioOf(matches, length) {
  return length ? (2.0 * matches) / length : 1.0;
}

function quickMatches(a, b) {
  const avail = new Map();
  for (const char of b) avail.set(char, (avail.get(char) || 0) + 1);
  let matches = 0;
  for (const char of a) {
    const left = avail.get(char) || 0;
    avail.set(char, left - 1);
    if (left > 0) matches += 1;
  }
  return matches;
}

/** Python's comparison of two str: by code point. */
function compareCodePoints(x, y) {
  const a = codePoints(x);
  const b = codePoints(y);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a[i].codePointAt(0) - b[i].codePointAt(0);
    if (d) return d;
  }
  return a.length - b.length;
}

/** difflib.get_close_matches(word, possibilities, n, cutoff). */
export function closeMatches(word, possibilities, n = 3, cutoff = 0.6) {
  const b = codePoints(word);
  const result = [];
  for (const x of possibilities) {
    const a = codePoints(x);
    const length = a.length + b.length;
    if (ratioOf(Math.min(a.length, b.length), length) < cutoff) continue;
    if (ratioOf(quickMatches(a, b), length) < cutoff) continue;
    const score = ratioOf(matchingCharacters(a, b), length);
    if (score >= cutoff) result.push([score, x]);
  }
  result.sort((p, q) => q[0] - p[0] || compareCodePoints(q[1], p[1]));
  return result.slice(0, n).map((pair) => pair[1]);
}

const SPELLINGS = Object.keys(DATA.spelling);

/** core/model.py TermSet.suggest(): up to *limit* known spellings closest to *text*. */
export function suggest(text, limit = 3) {
  const seen = new Set();
  const out = [];
  for (const form of closeMatches(normalize(text), SPELLINGS, 12, 0.6)) {
    const key = DATA.forms[form];
    if (!seen.has(key)) {
      seen.add(key);
      out.push(DATA.spelling[form]);
    }
  }
  return out.slice(0, limit);
}

/** Python's repr() of a str, as the Sphinx warning quotes a name. */
export function pyRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const char of text) {
    if (char === "\\" || char === quote) out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(char)) {
      const code = char.codePointAt(0);
      out += code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0")
        : code < 0x10000 ? "\\u" + code.toString(16).padStart(4, "0")
          : "\\U" + code.toString(16).padStart(8, "0");
    } else out += char;
  }
  return quote + out + quote;
}

/** core/model.py TermSet.hint() and sphinx_ext/role.py: the unknown-term warning. */
export function unknownTermMessage(target) {
  const found = suggest(target);
  const hint = found.length ? `; did you mean ${found.map(pyRepr).join(" or ")}?` : "";
  return `unknown term ${pyRepr(target)}${hint}`;
}
