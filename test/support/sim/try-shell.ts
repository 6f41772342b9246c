/**
 * `npm run try`: the simulated platform plus a working copy wired to it, for a newcomer without
 * an AWS account. The working copy is a clone of the simulator's git remote (deploy-model commits
 * and pushes there, the simulated ArgoCD syncs from it); the shell opened in it has KUBECONFIG,
 * the AWS face's endpoint and fake keys, LITELLM_URL, GIT_REMOTE, SIM_CONTROL_URL and `aiplat` on
 * PATH, so the README's next lines need no --kubeconfig and no clone by hand. Leaving the shell
 * stops the simulator.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

const git = (cwd: string, args: string[]) =>
  execFileSync("git", args, { cwd, stdio: "pipe", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } })
    .toString()
    .trim();

/** Clones the remote into `dir`, or keeps a clone of it made by an earlier start. */
export function prepareWorkingCopy(dir: string, remote: string): "cloned" | "kept" {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    let origin = "";
    try {
      origin = git(dir, ["remote", "get-url", "origin"]);
    } catch {
      // not a clone: refused below
    }
    if (origin === "" || !sameDirectory(origin, remote)) {
      throw new Error(
        `--work ${dir}: the folder is not empty and is not a clone of ${remote}; remove it or pick another folder`,
      );
    }
    git(dir, ["fetch", "--quiet", "origin"]);
    return "kept";
  }
  mkdirSync(dir, { recursive: true });
  git(dir, ["clone", "--quiet", remote, "."]);
  // deploy-model commits: a machine without a git identity still gets one, local to this clone.
  const hasIdentity = (() => {
    try {
      return git(dir, ["config", "user.email"]) !== "";
    } catch {
      return false;
    }
  })();
  if (!hasIdentity) {
    git(dir, ["config", "user.name", "aiplat try"]);
    git(dir, ["config", "user.email", "try@aiplat.invalid"]);
  }
  return "cloned";
}

function sameDirectory(a: string, b: string): boolean {
  try {
    return realpathSync(a.replace(/^file:\/\//, "")) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A folder holding an `aiplat` that runs this checkout's build, to put first on PATH. */
export function aiplatBinDir(base: string): string {
  const dir = join(base, "bin");
  mkdirSync(dir, { recursive: true });
  const script = join(dir, "aiplat");
  writeFileSync(script, `#!/bin/sh\nexec node ${JSON.stringify(join(repoRoot, "bin", "aiplat.js"))} "$@"\n`);
  chmodSync(script, 0o755);
  return dir;
}

/**
 * Runs the user's shell in the working copy with the simulator's settings; resolves with its exit
 * code. Ctrl-C belongs to the shell and what runs in it (e.g. a `deploy-model --wait`), never to
 * the simulator, which stops when the shell exits.
 */
export function runShell(dir: string, env: Record<string, string>, binDir: string): Promise<number> {
  const shell = process.env.SHELL || "/bin/sh";
  const ignore = () => {};
  process.on("SIGINT", ignore);
  const child = spawn(shell, [], {
    cwd: dir,
    stdio: "inherit",
    env: { ...process.env, ...env, PATH: `${binDir}:${process.env.PATH ?? ""}` },
  });
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
