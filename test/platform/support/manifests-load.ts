import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../../support/paths.js";

/** Folders whose YAML ArgoCD or the CLI reads (issue 3: every document must parse). */
export const manifestRoots = ["platform", "argocd", "templates"] as const;

export interface YamlDocument {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** Position of the document inside its file (0-based). */
  index: number;
  value: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  [key: string]: unknown;
}

export interface ManifestRef {
  file: string;
  index: number;
  object: KubeObject;
}

export function toRepoPath(absolute: string): string {
  return relative(repoRoot, absolute).split(sep).join("/");
}

/** Every file below `dir` (absolute), recursively, sorted for stable test names. */
export function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of entries.sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/.test(path);
}

/** YAML files under the manifest roots, as repository-relative paths. */
export function listYamlFiles(roots: readonly string[] = manifestRoots): string[] {
  return roots.flatMap((root) => listFiles(join(repoRoot, root)).filter(isYamlFile).map(toRepoPath));
}

export function readRepoFile(file: string): string {
  return readFileSync(join(repoRoot, file), "utf8");
}

/** Parses every document of a YAML text; throws with the file name on the first error. */
export function parseYamlDocuments(file: string, text: string): YamlDocument[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const out: YamlDocument[] = [];
  docs.forEach((doc, index) => {
    const problem = doc.errors[0];
    if (problem) throw new Error(`${file} (document ${index + 1}): ${problem.message}`);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    // A trailing `---` or a comment-only document is not a manifest and not an error.
    if (value !== null && value !== undefined) out.push({ file, index, value });
  });
  return out;
}

export function loadYamlFile(file: string): YamlDocument[] {
  return parseYamlDocuments(file, readRepoFile(file));
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.apiVersion === "string" && typeof record.kind === "string";
}

/** Kubernetes objects (apiVersion + kind) in the given YAML files. */
export function loadManifests(files: readonly string[]): ManifestRef[] {
  return files.flatMap((file) =>
    loadYamlFile(file).flatMap((doc) =>
      isKubeObject(doc.value) ? [{ file, index: doc.index, object: doc.value }] : [],
    ),
  );
}

export function describeRef(ref: ManifestRef): string {
  return `${ref.file}#${ref.index + 1} ${ref.object.kind}/${ref.object.metadata?.name ?? "?"}`;
}

/** Safe deep read: `dig(obj, "spec", "source", "repoURL")`. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
