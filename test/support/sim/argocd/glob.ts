/**
 * ArgoCD directory include/exclude patterns: shell globs on paths relative to the source path,
 * `*` within one path segment, `**` across segments, `?`, and `{a,b}` alternatives.
 */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === "{") depth++;
    else if (pattern[i] === "}" && --depth === 0) {
      const alternatives: string[] = [];
      let level = 0;
      let start = open + 1;
      for (let j = open + 1; j < i; j++) {
        if (pattern[j] === "{") level++;
        else if (pattern[j] === "}") level--;
        else if (pattern[j] === "," && level === 0) {
          alternatives.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      alternatives.push(pattern.slice(start, i));
      const before = pattern.slice(0, open);
      const after = pattern.slice(i + 1);
      return alternatives.flatMap((alt) => expandBraces(before + alt + after));
    }
  }
  return [pattern];
}

function toRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export function matchesGlob(path: string, pattern: string): boolean {
  return expandBraces(pattern).some((p) => toRegExp(p).test(path));
}
