/**
 * A small YAML emitter for plain JSON data (maps, lists, strings, numbers, booleans, null), used
 * for --dry-run output: the yaml package's stringify costs ~60 ms cold, a third of the command's
 * time. Strings are written plain only when YAML 1.2 reads them back as the same string;
 * otherwise double-quoted (JSON escapes are valid YAML), multi-line ones as `|` blocks. The
 * dry-run tests parse the output back with the yaml package and compare it to the renderer's.
 */

const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9 _./:@=+,()-]*$/;
const NUMBER_LIKE =
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^0[xXoObB]|^[-+]?\.(inf|nan)$/i;
const RESERVED = /^(true|false|null|~|y|n|yes|no|on|off)$/i;

function isPlain(s: string): boolean {
  return (
    s !== "" &&
    PLAIN.test(s) &&
    !s.endsWith(" ") &&
    !s.includes(": ") &&
    !s.includes(" #") &&
    !s.endsWith(":") &&
    !NUMBER_LIKE.test(s) &&
    !RESERVED.test(s)
  );
}

function emitString(s: string, indent: string): string {
  const lines = s.split("\n");
  // Block literals only for clean multi-line text: no tabs, CR or control characters, no leading
  // space on the first line (it would need an indentation indicator), no trailing spaces.
  const blockable =
    lines.length > 1 &&
    !/^[ \t]/.test(s) &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters force quoting
    !/[\t\r\u0000-\u0008\u000b-\u001f\u007f]/.test(s) &&
    lines.every((l) => !l.endsWith(" "));
  if (!blockable) return isPlain(s) ? s : JSON.stringify(s);
  const body = s.endsWith("\n") ? s.slice(0, -1) : s;
  if (body.endsWith("\n")) return JSON.stringify(s); // several trailing newlines: keep it exact
  const chomp = s.endsWith("\n") ? "|" : "|-";
  return `${chomp}\n${body
    .split("\n")
    .map((l) => (l === "" ? "" : `${indent}${l}`))
    .join("\n")}`;
}

function emitScalar(value: unknown, indent: string): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return emitString(value, indent);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function emitKey(key: string): string {
  return isPlain(key) ? key : JSON.stringify(key);
}

function isCollection(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === "object";
}

function isEmpty(v: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

function emitNode(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isCollection(item) && !isEmpty(item)) {
        const [first, ...rest] = emitNode(item, `${indent}  `);
        return [`${indent}- ${(first ?? "").trimStart()}`, ...rest];
      }
      return [
        `${indent}- ${isCollection(item) ? (Array.isArray(item) ? "[]" : "{}") : emitScalar(item, `${indent}  `)}`,
      ];
    });
  }
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    if (isCollection(v)) {
      if (isEmpty(v)) return `${indent}${emitKey(k)}: ${Array.isArray(v) ? "[]" : "{}"}`;
      return `${indent}${emitKey(k)}:\n${emitNode(v, Array.isArray(v) ? indent : `${indent}  `).join("\n")}`;
    }
    return `${indent}${emitKey(k)}: ${emitScalar(v, `${indent}  `)}`;
  });
}

/** One YAML document (ending in a newline) for a JSON-compatible object. */
export function emitYaml(value: Record<string, unknown>): string {
  return `${emitNode(value, "").join("\n")}\n`;
}
