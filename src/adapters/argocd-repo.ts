/**
 * Points the bootstrap Applications in argocd/ at this repository's own remote and branch.
 * Only git-sourced sources change (those without `chart`: Helm chart sources keep their chart
 * repository and version). Files are edited through yaml's Document API so comments, key order
 * and layout stay as they are; a file whose values already match is not written at all.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Document, isMap, isSeq, parseAllDocuments, type YAMLMap } from "yaml";
import { ConfigError } from "../core/errors.js";

export interface RepoTarget {
  repoUrl: string;
  revision: string;
}

export interface ArgoRepoChange {
  /** Path relative to the repository root, e.g. argocd/litellm.yaml. */
  file: string;
  /** How many git sources in the file now point at the target. */
  sources: number;
  changed: boolean;
}

/** Rewrites (or, with `dryRun`, only computes) the git sources of every argocd/*.yaml. */
export async function rewriteArgoRepo(
  root: string,
  target: RepoTarget,
  options: { dryRun?: boolean } = {},
): Promise<ArgoRepoChange[]> {
  const dir = join(root, "argocd");
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    throw new ConfigError(`Cannot read ${dir}: ${(error as Error).message}`, {
      code: "no-argocd-dir",
      hint: "Run aiplat init inside your clone of the aiplat repository (it holds argocd/).",
      cause: error,
    });
  }
  const changes: ArgoRepoChange[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const before = await readFile(path, "utf8");
    const { text, sources } = rewriteApplicationsText(before, target, `argocd/${name}`);
    const changed = text !== before;
    if (changed && !options.dryRun) await writeFile(path, text);
    if (sources > 0) changes.push({ file: `argocd/${name}`, sources, changed });
  }
  return changes;
}

/** The pure part: new text of one file and how many git sources it holds. */
export function rewriteApplicationsText(
  text: string,
  target: RepoTarget,
  file = "argocd file",
): { text: string; sources: number } {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { text, sources: 0 };
  let sources = 0;
  let changed = false;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new ConfigError(`${file} is not valid YAML: ${doc.errors[0]!.message}`, {
        code: "bad-argocd-yaml",
        hint: `Fix ${file} (git diff shows what changed), then run aiplat init again.`,
      });
    }
    for (const source of gitSources(doc)) {
      sources += 1;
      // set() on an existing scalar keeps the pair's comments; only write what differs.
      if (source.get("repoURL") !== target.repoUrl) {
        source.set("repoURL", target.repoUrl);
        changed = true;
      }
      if (source.get("targetRevision") !== target.revision) {
        source.set("targetRevision", target.revision);
        changed = true;
      }
    }
  }
  if (!changed) return { text, sources };
  return { text: docs.map((d) => d.toString({ lineWidth: 0 })).join(""), sources };
}

/** The git sources of an Application document: those with a repoURL and no Helm `chart`. */
function gitSources(doc: Document.Parsed): YAMLMap[] {
  if (doc.get("kind") !== "Application") return [];
  const spec = doc.get("spec");
  if (!isMap(spec)) return [];
  const candidates: YAMLMap[] = [];
  const single = spec.get("source");
  if (isMap(single)) candidates.push(single);
  const many = spec.get("sources");
  if (isSeq(many)) for (const item of many.items) if (isMap(item)) candidates.push(item);
  return candidates.filter((source) => !source.has("chart") && source.has("repoURL"));
}

/**
 * The repoURL argocd/ already points at (a previous init wrote it), or undefined while the files
 * still hold the placeholder or cannot be read. Unreadable files are rewriteArgoRepo's to report.
 */
export async function readArgoRepoUrl(root: string): Promise<string | undefined> {
  const dir = join(root, "argocd");
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const docs = parseAllDocuments(await readFile(join(dir, name), "utf8"));
    if (!Array.isArray(docs)) continue;
    for (const doc of docs) {
      if (doc.errors.length > 0) continue;
      for (const source of gitSources(doc)) {
        const url = source.get("repoURL");
        if (typeof url === "string" && !url.includes("example.invalid")) return url;
      }
    }
  }
  return undefined;
}
