import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp.js";

export interface TestRepo {
  /** The working copy (a platform repository: terraform/, platform/, argocd/). */
  dir: string;
  /** The bare repository that plays `origin`. */
  remote: string;
  git(...args: string[]): string;
  /** git against the bare remote (e.g. `log --oneline main`). */
  remoteGit(...args: string[]): string;
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "aiplat test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "aiplat test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/**
 * A real git working copy with a bare remote in a temp dir, tracking origin/main. `seed` copies
 * folders of this repository (e.g. ["argocd", "platform", "templates"]) or writes given files.
 */
export function makeTestRepo(
  options: { copyFrom?: string; copy?: string[]; files?: Record<string, string> } = {},
): TestRepo {
  const base = makeTempDir("aiplat-repo-");
  const remote = join(base, "origin.git");
  const dir = join(base, "work");
  const run = (cwd: string, args: string[]) =>
    execFileSync("git", args, { cwd, env: { ...GIT_ENV, HOME: base }, encoding: "utf8" }).trim();
  mkdirSync(remote);
  run(remote, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  mkdirSync(dir);
  run(dir, ["init", "--quiet", "--initial-branch=main"]);
  run(dir, ["config", "user.name", "aiplat test"]);
  run(dir, ["config", "user.email", "test@example.invalid"]);
  run(dir, ["config", "commit.gpgsign", "false"]);
  for (const name of ["terraform", "platform", "argocd"]) mkdirSync(join(dir, name), { recursive: true });
  for (const name of options.copy ?? []) {
    cpSync(join(options.copyFrom ?? "", name), join(dir, name), { recursive: true, verbatimSymlinks: true });
  }
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, ".gitignore"), ".aiplat/\n");
  writeFileSync(join(dir, "platform", ".keep"), "");
  writeFileSync(join(dir, "terraform", ".keep"), "");
  writeFileSync(join(dir, "argocd", ".keep"), "");
  run(dir, ["add", "-A"]);
  run(dir, ["commit", "--quiet", "-m", "initial"]);
  run(dir, ["remote", "add", "origin", remote]);
  run(dir, ["push", "--quiet", "-u", "origin", "main"]);
  return {
    dir,
    remote,
    git: (...args) => run(dir, args),
    remoteGit: (...args) => run(remote, args),
  };
}

/** Environment for git children started by aiplat in tests (identity, no global config). */
export function gitTestEnv(home: string): Record<string, string | undefined> {
  return { ...GIT_ENV, HOME: home };
}
