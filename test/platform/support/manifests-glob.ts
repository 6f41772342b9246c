/**
 * The subset of glob syntax ArgoCD's directory `include`/`exclude` accept that this repository
 * uses: `{a,b}` alternatives, `*`, `?`. Patterns are matched against the file path relative to
 * the Application's `path` (ArgoCD user guide, "Directory": `include: 'some-directory/*'`).
 * Whether `*` may cross `/` differs between glob libraries, so callers can check both
 * readings and make sure the selection does not depend on it.
 */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) {
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        const alternatives = splitTopLevel(pattern.slice(open + 1, i));
        return alternatives.flatMap((alt) => expandBraces(`${head}${alt}${tail}`));
      }
    }
  }
  throw new Error(`unbalanced braces in glob ${pattern}`);
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "{") depth++;
    else if (ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function toRegExp(pattern: string, starCrossesSlash: boolean): RegExp {
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += starCrossesSlash ? ".*" : "[^/]*";
    else if (ch === "?") source += starCrossesSlash ? "." : "[^/]";
    else source += ch.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export function matchGlob(pattern: string, path: string, starCrossesSlash: boolean): boolean {
  return expandBraces(pattern).some((p) => toRegExp(p, starCrossesSlash).test(path));
}

/** Files (relative to the app path) an ArgoCD directory source would read. */
export function selectDirectoryFiles(
  relativeFiles: readonly string[],
  directory: { recurse?: boolean; include?: string; exclude?: string },
  starCrossesSlash: boolean,
): string[] {
  return relativeFiles.filter((file) => {
    if (!/\.(ya?ml|json)$/.test(file)) return false;
    if (!directory.recurse && file.includes("/")) return false;
    if (directory.include && !matchGlob(directory.include, file, starCrossesSlash)) return false;
    if (directory.exclude && matchGlob(directory.exclude, file, starCrossesSlash)) return false;
    return true;
  });
}
