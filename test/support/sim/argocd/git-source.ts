import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../runtime/kube.js";
import { matchesGlob } from "./glob.js";

/**
 * The repo-server part of ArgoCD for directory sources: resolve the target revision of a
 * repository (a bare repo path or file:// URL) to a commit, list the files under `path` at that
 * commit (`git ls-tree`), apply directory.recurse / include / exclude, and parse the YAML/JSON
 * manifests (`git show`). Results are cached per commit: a commit never changes.
 */
const run = promisify(execFile);

export interface DirectoryOptions {
  recurse?: boolean;
  include?: string;
  exclude?: string;
}

export interface Manifest {
  file: string;
  object: KubeObject;
}

/** A local git directory for a repoURL, or undefined when the URL is not local. */
export function localRepoPath(repoURL: string): string | undefined {
  if (repoURL.startsWith("file://")) return decodeURIComponent(new URL(repoURL).pathname);
  if (repoURL.startsWith("/")) return repoURL;
  return undefined;
}

async function git(repo: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", repo, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    encoding: "utf8",
  });
  return stdout;
}

const revisions = new Map<string, string>();

/** Forgets resolved revisions: the next comparison asks git again (ArgoCD's refresh). */
export function forgetRevisions(): void {
  revisions.clear();
}

/** The commit a branch, tag or HEAD points at; cached until the next refresh, as ArgoCD does. */
export async function resolveRevision(repo: string, targetRevision: string | undefined): Promise<string> {
  const key = `${repo}@${targetRevision ?? "HEAD"}`;
  const cached = revisions.get(key);
  if (cached) return cached;
  const commit = await resolveUncached(repo, targetRevision);
  revisions.set(key, commit);
  return commit;
}

async function resolveUncached(repo: string, targetRevision: string | undefined): Promise<string> {
  const rev = !targetRevision || targetRevision === "HEAD" ? "HEAD" : targetRevision;
  const candidates = rev === "HEAD" ? ["HEAD"] : [`refs/heads/${rev}`, `refs/tags/${rev}`, rev];
  for (const candidate of candidates) {
    try {
      return (await git(repo, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`])).trim();
    } catch {
      // try the next form
    }
  }
  throw new Error(`unable to resolve '${rev}' to a commit SHA`);
}

const cache = new Map<string, Manifest[]>();

export async function readManifests(
  repo: string,
  commit: string,
  path: string,
  directory: DirectoryOptions = {},
): Promise<Manifest[]> {
  const key = JSON.stringify([repo, commit, path, directory]);
  const cached = cache.get(key);
  if (cached) return cached;
  const root = path.replace(/^\.?\/?/, "").replace(/\/$/, "");
  const listing = await git(repo, ["ls-tree", "-r", "--name-only", commit, "--", root === "" ? "." : root]);
  const files = listing
    .split("\n")
    .filter(Boolean)
    .map((file) => ({ file, rel: root ? file.slice(root.length + 1) : file }))
    .filter(({ rel }) => directory.recurse || !rel.includes("/"))
    .filter(({ rel }) => /\.(ya?ml|json)$/.test(rel))
    .filter(({ rel }) => !directory.include || matchesGlob(rel, directory.include))
    .filter(({ rel }) => !directory.exclude || !matchesGlob(rel, directory.exclude));
  const manifests: Manifest[] = [];
  for (const { file } of files) {
    const text = await git(repo, ["show", `${commit}:${file}`]);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const object = doc.toJS() as KubeObject | null;
      if (object && typeof object === "object" && object.kind) manifests.push({ file, object });
    }
  }
  cache.set(key, manifests);
  return manifests;
}
