/**
 * A fast path for tfvars that hold only literal data — what `aiplat init` writes and what
 * terraform/00.global/vars/example.tfvars shows: `name = value` lines whose values are strings,
 * numbers, booleans, null, lists and objects, with comments. It returns exactly what
 * @cdktf/hcl2json returns for such a file (object keys sorted, as Go's JSON encoder writes them),
 * without hcl2json's ~0.5 s of CPU to start its Go WASM module (measured for `aiplat status`,
 * bench/RESULTS.md).
 *
 * Anything else — blocks, heredocs, template sequences (`${`, `%{`), variables, function calls,
 * operators, escapes HCL has but this does not know, duplicate names — returns undefined and the
 * caller parses the file with hcl2json, which also reports real syntax errors. So this parser can
 * only be faster, never different: a differential test compares both on every file it accepts.
 * Grammar: HCL native syntax spec (hashicorp/hcl, hclsyntax/spec.md: literal values, collection
 * values, comments, string escapes).
 */

class NotLiteral extends Error {}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
// HCL numbers: digits, optional fraction, optional exponent (a leading '-' is unary minus).
const NUMBER = /-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  /** Skips spaces and comments; newlines too unless `newlines` is false (they end an attribute). */
  skip(newlines = true): void {
    const t = this.text;
    for (;;) {
      const c = t[this.at];
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.at++;
      else if (c === "#" || (c === "/" && t[this.at + 1] === "/")) {
        while (this.at < t.length && t[this.at] !== "\n") this.at++;
      } else if (c === "/" && t[this.at + 1] === "*") {
        const end = t.indexOf("*/", this.at + 2);
        if (end < 0) throw new NotLiteral();
        // A multi-line comment counts as the newline that ends an attribute only when it spans one.
        if (!newlines && t.slice(this.at, end).includes("\n")) throw new NotLiteral();
        this.at = end + 2;
      } else return;
    }
  }

  done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.at];
  }

  expect(char: string): void {
    if (this.text[this.at] !== char) throw new NotLiteral();
    this.at++;
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const m = pattern.exec(this.text);
    if (!m) return undefined;
    this.at += m[0].length;
    return m[0];
  }

  /** The end of an attribute: a newline, a comment running to one, or the end of the file. */
  endOfLine(): void {
    this.skip(false);
    if (this.done()) return;
    this.expect("\n");
  }

  string(): string {
    this.expect('"');
    let out = "";
    const t = this.text;
    for (;;) {
      const c = t[this.at++];
      if (c === undefined || c === "\n") throw new NotLiteral();
      if (c === '"') return out;
      // Template sequences (and their $${ / %%{ escapes, which hcl2json keeps as written).
      if ((c === "$" || c === "%") && (t[this.at] === "{" || t[this.at] === c)) throw new NotLiteral();
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = t[this.at++] ?? "";
      const simple = ESCAPES[e];
      if (simple !== undefined) out += simple;
      else if (e === "u" || e === "U") {
        const digits = e === "u" ? 4 : 8;
        const hex = t.slice(this.at, this.at + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw new NotLiteral();
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new NotLiteral();
        out += String.fromCodePoint(code);
        this.at += digits;
      } else throw new NotLiteral();
    }
  }

  value(): Value {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === "[") return this.list();
    if (c === "{") return this.object();
    const number = this.match(NUMBER);
    if (number !== undefined) {
      // "1.5.2" or "3x" would be an expression or an error: not ours to judge.
      const next = this.peek();
      if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) throw new NotLiteral();
      return Number(number) || 0; // hcl2json writes -0 as 0
    }
    const word = this.match(IDENTIFIER);
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    throw new NotLiteral();
  }

  /** A value followed by what may follow a value in a collection: `,`, a newline or the closer. */
  private item(closer: string): Value {
    const v = this.value();
    this.skip(false);
    const next = this.peek();
    if (next !== "," && next !== "\n" && next !== closer) throw new NotLiteral();
    return v;
  }

  list(): Value[] {
    this.expect("[");
    const out: Value[] = [];
    for (;;) {
      this.skip();
      if (this.peek() === "]") break;
      out.push(this.item("]"));
      this.skip();
      if (this.peek() === ",") this.at++;
      else if (this.peek() !== "]") throw new NotLiteral();
    }
    this.at++;
    return out;
  }

  object(): { [key: string]: Value } {
    this.expect("{");
    const entries: [string, Value][] = [];
    for (;;) {
      this.skip();
      if (this.peek() === "}") break;
      const key = this.peek() === '"' ? this.string() : this.match(IDENTIFIER);
      if (key === undefined) throw new NotLiteral();
      this.skip(false);
      if (this.peek() !== "=" && this.peek() !== ":") throw new NotLiteral();
      this.at++;
      this.skip(false);
      entries.push([key, this.item("}")]);
      this.skip(false);
      if (this.peek() === ",") this.at++;
    }
    this.at++;
    return sortedObject(entries);
  }
}

function sortedObject(entries: [string, Value][]): { [key: string]: Value } {
  const keys = new Set(entries.map(([k]) => k));
  // Duplicate keys: an error for attributes, last-wins for object constructors — hcl2json decides.
  if (keys.size !== entries.length) throw new NotLiteral();
  const out: { [key: string]: Value } = {};
  for (const [k, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** The tfvars as plain data, or undefined when the file is more than literal data (use hcl2json). */
export function parseLiteralTfvars(text: string): Record<string, unknown> | undefined {
  const reader = new Reader(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const entries: [string, Value][] = [];
  try {
    for (;;) {
      reader.skip();
      if (reader.done()) break;
      const name = reader.match(IDENTIFIER);
      if (name === undefined) return undefined;
      reader.skip(false);
      reader.expect("=");
      reader.skip(false);
      entries.push([name, reader.value()]);
      reader.endOfLine();
    }
    return sortedObject(entries);
  } catch (error) {
    if (error instanceof NotLiteral) return undefined;
    throw error;
  }
}
