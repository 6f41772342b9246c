/**
 * Points the bootstrap Applications in argocd/ at this repository's own remote and branch.
 * Only git-sourced sources change (those without `chart`: Helm chart sources keep their chart
 * repository and version). Files are edited through yaml's Document API so comments, key order
 * and layout stay as they are; a file whose values already match is not written at all.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isMap, isSeq, parseAllDocuments, type YAMLMap } from "yaml";
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
    if (doc.get("kind") !== "Application") continue;
    const spec = doc.get("spec");
    if (!isMap(spec)) continue;
    const candidates: YAMLMap[] = [];
    const single = spec.get("source");
    if (isMap(single)) candidates.push(single);
    const many = spec.get("sources");
    if (isSeq(many)) for (const item of many.items) if (isMap(item)) candidates.push(item);
    for (const source of candidates) {
      if (source.has("chart") || !source.has("repoURL")) continue;
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
