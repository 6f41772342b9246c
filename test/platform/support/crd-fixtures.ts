import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import type { CatalogModel } from "../../../src/core/catalog/index.js";
import { parseCatalog } from "../../../src/core/catalog/index.js";
import { endpointFromCatalog, renderEndpointManifest } from "../../../src/core/endpoint/index.js";
import { type RenderResult, renderInstance } from "../../../src/core/kro/index.js";
import { repoRoot, sharedAvailable, sharedCrdsDir } from "../../support/paths.js";

/** The upstream CRD files the platform's custom resources are checked against (shared/crds). */
export const CRD_FILES = {
  rayService: "kuberay-v1.5.1/ray.io_rayservices.yaml",
  rgd: "kro-v0.9.3/kro.run_resourcegraphdefinitions.yaml",
  nodePool: "karpenter-v1.14.1/karpenter.sh_nodepools.yaml",
  ec2NodeClass: "karpenter-v1.14.1/karpenter.k8s.aws_ec2nodeclasses.yaml",
  application: "argo-cd-v3.5.1/application-crd.yaml",
} as const;

export const crdsPresent = sharedAvailable(join("crds", CRD_FILES.rayService));
export const crdSkipNote = crdsPresent ? "" : ` (skipped: ${sharedCrdsDir} with the upstream CRDs is absent)`;

const cache = new Map<string, Record<string, unknown>>();

/** The CustomResourceDefinition document of one shared CRD file. */
export function loadCrd(file: keyof typeof CRD_FILES): Record<string, unknown> {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = readFileSync(join(sharedCrdsDir, CRD_FILES[file]), "utf8");
  const crd = parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .find((d) => d?.kind === "CustomResourceDefinition");
  if (!crd) throw new Error(`${CRD_FILES[file]} holds no CustomResourceDefinition`);
  cache.set(file, crd);
  return crd;
}

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), "utf8");
}

export const RGD_PATH = "platform/kro-definitions/inference-endpoint.yaml";
export const TEMPLATE_PATH = "templates/inference-endpoint.yaml";
export const CATALOG_PATH = "templates/models.yaml";

export function loadRgd(): Record<string, unknown> {
  return parse(readRepoFile(RGD_PATH)) as Record<string, unknown>;
}

export function loadCatalog(): CatalogModel[] {
  return parseCatalog(readRepoFile(CATALOG_PATH));
}

export function catalogModel(name: string): CatalogModel {
  const model = loadCatalog().find((m) => m.name === name);
  if (!model) throw new Error(`catalog has no ${name}`);
  return model;
}

/** The InferenceEndpoint manifest deploy-model would write for a catalog model. */
export function endpointManifest(name: string): Record<string, unknown> {
  const text = renderEndpointManifest(readRepoFile(TEMPLATE_PATH), endpointFromCatalog(catalogModel(name)));
  return parse(text) as Record<string, unknown>;
}

/** What KRO would create for a catalog model: template → catalog values → RGD. */
export function renderCatalogModel(name: string): RenderResult {
  return renderInstance(loadRgd(), endpointManifest(name));
}

/** Every YAML document in the files under a repository folder whose name matches. */
export function findYamlFiles(folder: string, suffix: RegExp): string[] {
  const root = join(repoRoot, folder);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (suffix.test(entry.name)) out.push(relative(repoRoot, full));
    }
  };
  walk(root);
  return out.sort();
}

export function parseDocs(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Record<string, unknown> => d !== null && typeof d === "object");
}

/** Terraform templatefile() placeholders (${name}) → a dummy string so the YAML parses. */
export function fillTerraformTemplate(text: string): string {
  // Numeric placeholders get a number (the NodePool's GPU limit is a quantity); the rest a name.
  return text
    .replace(/\$\{gpu_node_limit\}/g, "16")
    .replace(/\$\{ami_alias\}/g, "al2023@v20260930")
    .replace(/\$\{[^}]*\}/g, "tf-placeholder")
    .replace(/%\{[^}]*\}/g, "");
}
