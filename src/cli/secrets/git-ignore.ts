/**
 * Files that hold secrets must be ignored by git, or one `git add -A` commits the token. init
 * makes sure of it before it writes such a file (adding the rule to .gitignore, and saying so);
 * doctor checks every secret file that exists.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Git } from "../../adapters/git.js";

/** The rule that covers each kind of secret file aiplat writes, by where it lives. */
export function ruleFor(path: string): string {
  return path.startsWith(".aiplat/") ? ".aiplat/" : "*.secret.*";
}

/** Whether git ignores the (repository-relative) path; a tracked file is never ignored. */
export async function isIgnored(git: Git, path: string): Promise<boolean> {
  return (await git.raw(["check-ignore", "--quiet", "--", path])).exitCode === 0;
}

/**
 * Adds the rule for `path` to the repository's .gitignore when git would not ignore it; returns
 * the rule added, or undefined when nothing had to change (or the root is not a git clone).
 */
export async function ensureIgnored(git: Git, root: string, path: string): Promise<string | undefined> {
  if (!(await git.isRepository()) || (await isIgnored(git, path))) return undefined;
  const rule = ruleFor(path);
  const file = join(root, ".gitignore");
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  const separator = before === "" || before.endsWith("\n") ? "" : "\n";
  appendFileSync(file, `${separator}# secret files written by aiplat (tokens): never committed\n${rule}\n`);
  return rule;
}

/** Secret files present in the repository: <env>.secret.tfvars and the kept HF tokens. */
export function secretFiles(root: string): string[] {
  const found: string[] = [];
  const vars = join(root, "terraform", "00.global", "vars");
  if (existsSync(vars)) {
    for (const name of readdirSync(vars)) if (/\.secret\./.test(name)) found.push(join(vars, name));
  }
  const state = join(root, ".aiplat");
  if (existsSync(state)) {
    for (const env of readdirSync(state, { withFileTypes: true })) {
      const token = join(state, env.name, "hf-token");
      if (env.isDirectory() && existsSync(token)) found.push(token);
    }
  }
  return found.map((f) => relative(root, f));
}
