import { chmodSync, existsSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "../core/errors.js";

/** The folders that make a directory the platform repository. */
export const REPOSITORY_MARKERS = ["terraform", "platform", "argocd"] as const;

function isRepositoryRoot(dir: string): boolean {
  return REPOSITORY_MARKERS.every((name) => {
    const path = join(dir, name);
    return existsSync(path) && statSync(path).isDirectory();
  });
}

/** --root wins; otherwise walk up from the working directory. Exit 3 with the fix when not found. */
export function findRepositoryRoot(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const root = resolve(cwd, explicit);
    if (!isRepositoryRoot(root)) {
      throw new ConfigError(
        `--root ${explicit} is not the platform repository: it must hold ${REPOSITORY_MARKERS.join("/, ")}/.`,
        { code: "no-repository", hint: "Point --root at your clone of the aiplat repository." },
      );
    }
    return root;
  }
  let dir = resolve(cwd);
  for (;;) {
    if (isRepositoryRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ConfigError(
    `No platform repository found in ${cwd} or above it (a folder holding ${REPOSITORY_MARKERS.join("/, ")}/).`,
    {
      code: "no-repository",
      hint: "Run aiplat inside your clone of the aiplat repository, or pass --root <dir>.",
    },
  );
}

/**
 * `.aiplat/` holds plans (which carry variable values such as the Docker Hub token), logs and
 * caches: it is made private to its owner (0700) before anything can write into it, and an older
 * one created with the default mode is tightened. Files aiplat writes there are 0600.
 */
export function securePrivateState(root: string): string {
  const path = join(root, ".aiplat");
  // Never created here: a command refused for bad input must leave the repository as it found it.
  // The writers create it with mode 0700 (and their files 0600); an older one is tightened here.
  if (!existsSync(path)) return path;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o700);
  } catch {
    // Not ours to change (another owner): aiplat still works, as before.
  }
  return path;
}

export const PRIVATE_FILE_MODE = 0o600;

/** `.aiplat/` in the repository root: active environment, journals, logs. Gitignored. */
export class StateDir {
  readonly path: string;

  constructor(root: string) {
    this.path = join(root, ".aiplat");
  }

  async activeEnvironment(): Promise<string | undefined> {
    try {
      const text = (await readFile(join(this.path, "active-env"), "utf8")).trim();
      return text === "" ? undefined : text;
    } catch {
      return undefined;
    }
  }

  async setActiveEnvironment(name: string): Promise<void> {
    await mkdir(this.path, { recursive: true, mode: 0o700 });
    await writeFile(join(this.path, "active-env"), `${name}\n`, { mode: PRIVATE_FILE_MODE });
  }

  /** Full logs of external tools for one environment: .aiplat/logs/<env>/. */
  logDir(env: string): string {
    return join(this.path, "logs", env);
  }

  /** The resumable journal of a multi-step command (up, destroy) for one environment. */
  journalPath(env: string, command: string): string {
    return join(this.path, "journal", env, `${command}.json`);
  }
}
