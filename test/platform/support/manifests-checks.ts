import { dig, type KubeObject, type ManifestRef } from "./manifests-load.js";

/**
 * Checks for the defects of the original platform (PLATFORM.md, "Defects") that live in
 * argocd/ and platform/. Each returns the problems it finds, so tests can run it on the
 * repository (expect none) and on a known-bad example (expect it to be caught).
 */

/** The repoURL `aiplat init` rewrites to the fork's own remote (platform content contract). */
export const placeholderRepoUrl = "https://example.invalid/set-by-aiplat-init.git";
export const placeholderRevision = "main";
export const resourcesFinalizer = "resources-finalizer.argocd.argoproj.io";

export interface AppSource {
  repoURL?: string;
  targetRevision?: string;
  chart?: string;
  path?: string;
  ref?: string;
  helm?: { valueFiles?: string[]; releaseName?: string };
  directory?: { recurse?: boolean; include?: string; exclude?: string };
}

export function applicationSources(app: KubeObject): AppSource[] {
  const many = dig(app, "spec", "sources");
  if (Array.isArray(many)) return many as AppSource[];
  const one = dig(app, "spec", "source");
  return one && typeof one === "object" ? [one as AppSource] : [];
}

export function syncOptions(app: KubeObject): string[] {
  const options = dig(app, "spec", "syncPolicy", "syncOptions");
  return Array.isArray(options) ? options.map(String) : [];
}

/** Defect 8 (+ contract): cascade on delete, automated prune + self-heal, SSA, local cluster. */
export function findApplicationPolicyProblems(app: KubeObject): string[] {
  const problems: string[] = [];
  const name = app.metadata?.name ?? "?";
  if (!app.metadata?.finalizers?.includes(resourcesFinalizer))
    problems.push(`${name}: no ${resourcesFinalizer} (deleting the app would orphan everything)`);
  if (dig(app, "spec", "syncPolicy", "automated", "prune") !== true)
    problems.push(`${name}: automated sync without prune`);
  if (dig(app, "spec", "syncPolicy", "automated", "selfHeal") !== true)
    problems.push(`${name}: automated sync without selfHeal`);
  if (!syncOptions(app).includes("ServerSideApply=true")) problems.push(`${name}: no ServerSideApply=true`);
  if (app.metadata?.namespace !== "argocd") problems.push(`${name}: not in namespace argocd`);
  if (dig(app, "spec", "project") !== "default") problems.push(`${name}: project is not default`);
  if (dig(app, "spec", "destination", "name") !== "local-cluster")
    problems.push(`${name}: destination is not the registered cluster local-cluster`);
  if (dig(app, "spec", "destination", "server") !== undefined)
    problems.push(`${name}: destination.server set (managed ArgoCD needs the cluster name)`);
  return problems;
}

/** Defect 7: every git source points at the placeholder that `aiplat init` rewrites. */
export function findRepoUrlProblems(app: KubeObject): string[] {
  const name = app.metadata?.name ?? "?";
  const problems: string[] = [];
  const gitSources = applicationSources(app).filter((s) => s.chart === undefined);
  if (gitSources.length === 0) problems.push(`${name}: no git source from this repository`);
  for (const source of gitSources) {
    if (source.repoURL !== placeholderRepoUrl)
      problems.push(`${name}: git source repoURL ${String(source.repoURL)} is not the placeholder`);
    if (source.targetRevision !== placeholderRevision)
      problems.push(`${name}: git source targetRevision ${String(source.targetRevision)} is not main`);
  }
  return problems;
}

const exactVersion = /^v?\d+\.\d+\.\d+$/;

/** Charts pinned to one exact release (no "*", ranges, "latest" or missing version). */
export function findChartPinProblems(app: KubeObject): string[] {
  const name = app.metadata?.name ?? "?";
  return applicationSources(app)
    .filter((s) => s.chart !== undefined)
    .filter((s) => !exactVersion.test(String(s.targetRevision ?? "")))
    .map((s) => `${name}: chart ${s.chart} version ${String(s.targetRevision)} is not exact`);
}

/** Keys of ai-platform/langfuse-secrets that Terraform creates (platform content contract). */
export const langfuseSecretKeys = [
  "salt",
  "nextauth-secret",
  "encryption-key",
  "password",
  "clickhouse-password",
  "redis-password",
];

/**
 * Keys this repository's Langfuse values need beyond the contract: the bundled MinIO's root
 * credentials must be fixed too, or `helm template` (how ArgoCD renders) invents new ones on
 * every sync. Terraform has to add them to langfuse-secrets.
 */
export const langfuseSecretExtraKeys = ["s3-user", "s3-password"];

/** Defect 4: Langfuse chart exactly 1.x; keys by reference to langfuse-secrets, no literals. */
export function findLangfuseProblems(app: KubeObject, values: unknown): string[] {
  const problems: string[] = [];
  const chart = applicationSources(app).find((s) => s.chart === "langfuse");
  if (!chart) return ["langfuse: no langfuse chart source"];
  if (!/^1\.\d+\.\d+$/.test(String(chart.targetRevision)))
    problems.push(`langfuse: chart version ${String(chart.targetRevision)} is not an exact 1.x`);
  const refs: [string, (string | number)[]][] = [
    ["langfuse.encryptionKey", ["langfuse", "encryptionKey"]],
    ["langfuse.salt", ["langfuse", "salt"]],
    ["langfuse.nextauth.secret", ["langfuse", "nextauth", "secret"]],
  ];
  for (const [label, path] of refs) {
    const node = dig(values, ...path);
    if (dig(node, "value") !== undefined) problems.push(`${label}: literal value in git`);
    if (dig(node, "secretKeyRef", "name") !== "langfuse-secrets")
      problems.push(`${label}: not a secretKeyRef to langfuse-secrets`);
    const key = dig(node, "secretKeyRef", "key");
    if (typeof key !== "string" || !langfuseSecretKeys.includes(key))
      problems.push(`${label}: key ${String(key)} is not one Terraform creates`);
  }
  for (const store of ["postgresql", "clickhouse", "redis"]) {
    if (dig(values, store, "auth", "password") !== undefined)
      problems.push(`${store}: literal password in git`);
    if (dig(values, store, "auth", "existingSecret") !== "langfuse-secrets")
      problems.push(`${store}: password not taken from langfuse-secrets`);
  }
  if (dig(values, "s3", "auth", "rootPassword") !== undefined)
    problems.push("s3: literal MinIO root password in git");
  return problems;
}

function replicasOf(workload: KubeObject): number {
  const replicas = dig(workload, "spec", "replicas");
  return typeof replicas === "number" ? replicas : 1;
}

function selects(selector: unknown, labels: unknown): boolean {
  const wanted = dig(selector, "matchLabels");
  if (!wanted || typeof wanted !== "object") return false;
  return Object.entries(wanted as Record<string, unknown>).every(([k, v]) => dig(labels, k) === v);
}

/** Defect 5: no PDB that forbids every eviction (blocks consolidation, drain and teardown). */
export function findPdbProblems(manifests: readonly ManifestRef[]): string[] {
  const problems: string[] = [];
  const workloads = manifests.filter((m) => ["Deployment", "StatefulSet"].includes(m.object.kind));
  for (const ref of manifests.filter((m) => m.object.kind === "PodDisruptionBudget")) {
    const pdb = ref.object;
    const name = `${pdb.metadata?.namespace ?? "?"}/${pdb.metadata?.name ?? "?"}`;
    const maxUnavailable = dig(pdb, "spec", "maxUnavailable");
    const minAvailable = dig(pdb, "spec", "minAvailable");
    if (maxUnavailable === undefined && minAvailable === undefined)
      problems.push(`${name}: neither maxUnavailable nor minAvailable`);
    if (maxUnavailable !== undefined && /^0+%?$/.test(String(maxUnavailable)))
      problems.push(`${name}: maxUnavailable ${String(maxUnavailable)} blocks every eviction`);
    if (minAvailable !== undefined) {
      if (String(minAvailable) === "100%") problems.push(`${name}: minAvailable 100%`);
      const targets = workloads.filter(
        (w) =>
          w.object.metadata?.namespace === pdb.metadata?.namespace &&
          selects(dig(pdb, "spec", "selector"), dig(w.object, "spec", "template", "metadata", "labels")),
      );
      for (const target of targets) {
        if (typeof minAvailable === "number" && minAvailable >= replicasOf(target.object))
          problems.push(
            `${name}: minAvailable ${minAvailable} >= ${replicasOf(target.object)} replicas of ${target.object.metadata?.name}`,
          );
      }
    }
  }
  return problems;
}

export const syncWaveAnnotation = "argocd.argoproj.io/sync-wave";
export const syncOptionsAnnotation = "argocd.argoproj.io/sync-options";

export function syncWave(object: KubeObject): number {
  const raw = object.metadata?.annotations?.[syncWaveAnnotation];
  return raw === undefined ? 0 : Number(raw);
}

export interface WaveInput {
  namespaces: readonly KubeObject[];
  definitions: readonly KubeObject[];
  instances: readonly KubeObject[];
}

/**
 * Defect 6: in the one workloads sync, Namespaces ("-10") come before the RGD ("0"), which
 * comes before every InferenceEndpoint ("10"); instances skip the dry-run that would fail
 * while KRO has not yet made their CRD.
 */
export function findSyncWaveProblems(input: WaveInput): string[] {
  const problems: string[] = [];
  const expectWave = (objects: readonly KubeObject[], wave: string, what: string) => {
    for (const o of objects) {
      const got = o.metadata?.annotations?.[syncWaveAnnotation];
      if (got !== wave)
        problems.push(`${what} ${o.metadata?.name ?? "?"}: sync-wave ${String(got)}, want "${wave}"`);
    }
  };
  expectWave(input.namespaces, "-10", "Namespace");
  expectWave(input.definitions, "0", "ResourceGraphDefinition");
  expectWave(input.instances, "10", "InferenceEndpoint");
  const latestNamespace = Math.max(...input.namespaces.map(syncWave));
  const earliestDefinition = Math.min(...input.definitions.map(syncWave));
  const latestDefinition = Math.max(...input.definitions.map(syncWave));
  const earliestInstance = Math.min(...input.instances.map(syncWave));
  if (input.definitions.length > 0 && !(latestNamespace < earliestDefinition))
    problems.push("a Namespace does not sync before the RGD");
  if (input.instances.length > 0 && !(latestDefinition < earliestInstance))
    problems.push("an InferenceEndpoint does not sync after the RGD");
  for (const o of input.instances) {
    const options = o.metadata?.annotations?.[syncOptionsAnnotation] ?? "";
    if (!options.split(",").includes("SkipDryRunOnMissingResource=true"))
      problems.push(`InferenceEndpoint ${o.metadata?.name ?? "?"}: no SkipDryRunOnMissingResource=true`);
  }
  return problems;
}
