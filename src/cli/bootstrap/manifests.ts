import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { KubeObject } from "../../adapters/kube/objects.js";
import { ConfigError } from "../../core/errors.js";

/** Kinds that others depend on go first; Applications last, so what they reference exists. */
const KIND_ORDER = ["Namespace", "AppProject", "Secret", "ConfigMap"];

function rank(kind: string): number {
  if (kind === "Application" || kind === "ApplicationSet") return KIND_ORDER.length + 1;
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** Every document of argocd/*.yaml (and .yml), in apply order. */
export async function readArgoManifests(root: string): Promise<KubeObject[]> {
  const dir = join(root, "argocd");
  const { parseAllDocuments } = await import("yaml");
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const objects: KubeObject[] = [];
  for (const name of names) {
    const path = join(dir, name);
    for (const doc of parseAllDocuments(await readFile(path, "utf8"))) {
      if (doc.errors.length > 0) {
        throw new ConfigError(`${relative(root, path)} is not valid YAML: ${doc.errors[0]?.message}`, {
          code: "bad-manifest",
          hint: "Fix the file (git diff shows what changed), then run `aiplat bootstrap` again.",
        });
      }
      const value = doc.toJS() as KubeObject | null;
      if (value === null || value === undefined) continue;
      if (typeof value.apiVersion !== "string" || typeof value.kind !== "string" || !value.metadata?.name) {
        throw new ConfigError(
          `${relative(root, path)} has a document without apiVersion, kind or metadata.name.`,
          {
            code: "bad-manifest",
          },
        );
      }
      objects.push(value);
    }
  }
  if (objects.length === 0) {
    throw new ConfigError(`No manifests in ${relative(root, dir) || dir}/.`, {
      code: "no-argocd-manifests",
      hint: "The argocd/ folder of the platform repository holds the bootstrap Applications.",
    });
  }
  return objects.sort((a, b) => rank(a.kind) - rank(b.kind));
}
