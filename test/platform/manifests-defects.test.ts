import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../support/paths.js";
import {
  findApplicationPolicyProblems,
  findChartPinProblems,
  findLangfuseProblems,
  findPdbProblems,
  findRepoUrlProblems,
  findSyncWaveProblems,
  syncWaveAnnotation,
} from "./support/manifests-checks.js";
import {
  type KubeObject,
  listYamlFiles,
  loadManifests,
  loadYamlFile,
  readRepoFile,
} from "./support/manifests-load.js";

/**
 * One suite per defect of the original platform (PLATFORM.md, "Defects") that lives in
 * argocd/ or platform/: each proves the repository is free of it AND that the check would
 * catch it if it came back.
 */

const apps = loadManifests(listYamlFiles(["argocd"])).filter((m) => m.object.kind === "Application");
const appNamed = (name: string): KubeObject => {
  const found = apps.find((m) => m.object.metadata?.name === name);
  if (!found) throw new Error(`no Application ${name}`);
  return found.object;
};
const clone = <T>(value: T): T => structuredClone(value);

describe("defect 4: Langfuse chart pinned to an exact 1.x, keys hex and by reference", () => {
  const values = parse(readRepoFile("platform/apps/langfuse/helm-values.yaml")) as unknown;

  it("the repository's langfuse app and values are clean", () => {
    expect(findLangfuseProblems(appNamed("langfuse"), values)).toEqual([]);
  });

  it("catches the original's unpinned chart and a 2.x", () => {
    for (const version of ["*", "2.0.0", ">=1.0.0", "1.x"]) {
      const bad = clone(appNamed("langfuse"));
      const sources = (bad.spec as { sources: { chart?: string; targetRevision?: string }[] }).sources;
      for (const s of sources) if (s.chart === "langfuse") s.targetRevision = version;
      expect(findLangfuseProblems(bad, values).join("\n")).toMatch(/not an exact 1\.x/);
      if (version !== "2.0.0") expect(findChartPinProblems(bad)).not.toEqual([]);
    }
  });

  it("catches a literal key in git and a reference to a secret Terraform does not make", () => {
    const literal = clone(values) as { langfuse: { encryptionKey: Record<string, unknown> } };
    literal.langfuse.encryptionKey = { value: "0123" };
    expect(findLangfuseProblems(appNamed("langfuse"), literal).join("\n")).toMatch(/literal value/);
    const wrongKey = clone(values) as { langfuse: { salt: { secretKeyRef: { key: string } } } };
    wrongKey.langfuse.salt.secretKeyRef.key = "SALT";
    expect(findLangfuseProblems(appNamed("langfuse"), wrongKey).join("\n")).toMatch(/not one Terraform/);
  });

  it("the encryption key is the 64-hex-character key Terraform makes, never a generated default", () => {
    const text = readRepoFile("platform/apps/langfuse/helm-values.yaml");
    expect(text).toMatch(/key: encryption-key/);
    // No secret-looking literal (hex or base64 of 16+ characters) anywhere in the values.
    expect(text.match(/:\s*["']?[A-Za-z0-9+/=]{32,}["']?\s*$/m)).toBeNull();
  });
});

describe("defect 5: no PodDisruptionBudget that blocks drain and consolidation", () => {
  const manifests = loadManifests(listYamlFiles(["platform"]));

  it("the platform has PDBs, and none forbids every eviction", () => {
    expect(manifests.some((m) => m.object.kind === "PodDisruptionBudget")).toBe(true);
    expect(findPdbProblems(manifests)).toEqual([]);
  });

  it("every PDB allows at least one pod to go (maxUnavailable >= 1)", () => {
    for (const m of manifests.filter((x) => x.object.kind === "PodDisruptionBudget")) {
      const max = (m.object.spec as { maxUnavailable?: unknown }).maxUnavailable;
      expect(typeof max === "number" && max >= 1).toBe(true);
    }
  });

  it("catches maxUnavailable 0 and minAvailable equal to the replica count", () => {
    const deployment = manifests.find(
      (m) => m.object.kind === "Deployment" && m.object.metadata?.name === "litellm",
    );
    const pdb = manifests.find((m) => m.object.kind === "PodDisruptionBudget");
    expect(deployment && pdb).toBeTruthy();
    if (!deployment || !pdb) return;
    const zero = clone(pdb);
    (zero.object.spec as Record<string, unknown>).maxUnavailable = 0;
    expect(findPdbProblems([deployment, zero]).join("\n")).toMatch(/blocks every eviction/);
    const percent = clone(pdb);
    (percent.object.spec as Record<string, unknown>).maxUnavailable = "0%";
    expect(findPdbProblems([deployment, percent])).not.toEqual([]);
    const all = clone(pdb);
    const spec = all.object.spec as Record<string, unknown>;
    delete spec.maxUnavailable;
    spec.minAvailable = (deployment.object.spec as { replicas: number }).replicas;
    expect(findPdbProblems([deployment, all]).join("\n")).toMatch(/minAvailable/);
  });
});

describe("defect 6: sync waves order namespaces < RGD < InferenceEndpoints in one sync", () => {
  // platform/namespaces also holds the inference namespace's NetworkPolicies (wave -5).
  const namespaces = loadManifests(listYamlFiles(["platform/namespaces"]))
    .map((m) => m.object)
    .filter((o) => o.kind === "Namespace");
  const definitions = loadManifests(listYamlFiles(["platform/kro-definitions"]))
    .map((m) => m.object)
    .filter((o) => o.kind === "ResourceGraphDefinition");
  const instances = loadManifests(listYamlFiles(["platform/workloads"]))
    .map((m) => m.object)
    .filter((o) => o.kind === "InferenceEndpoint");
  // The template `aiplat deploy-model` fills (written by the KRO/templates engineer).
  const templateInstances = loadManifests(listYamlFiles(["templates"]))
    .map((m) => m.object)
    .filter((o) => o.kind === "InferenceEndpoint");

  it("declares the ai-platform and inference namespaces in the first wave", () => {
    expect(namespaces.map((n) => n.metadata?.name).sort()).toEqual(["ai-platform", "inference"]);
    for (const ns of namespaces) expect(ns.metadata?.annotations?.[syncWaveAnnotation]).toBe("-10");
  });

  it("sees the RGD and the endpoint template once the KRO engineer's files exist", () => {
    if (existsSync(join(repoRoot, "platform/kro-definitions/inference-endpoint.yaml")))
      expect(definitions).toHaveLength(1);
    if (existsSync(join(repoRoot, "templates/inference-endpoint.yaml")))
      expect(templateInstances).toHaveLength(1);
  });

  it("the repository's namespaces, RGD, workloads and endpoint template follow the waves", () => {
    expect(
      findSyncWaveProblems({ namespaces, definitions, instances: [...instances, ...templateInstances] }),
    ).toEqual([]);
  });

  it("catches an RGD and instance in the same wave, and an instance that would fail dry-run", () => {
    const rgd: KubeObject = {
      apiVersion: "kro.run/v1alpha1",
      kind: "ResourceGraphDefinition",
      metadata: { name: "inferenceendpoint", annotations: { [syncWaveAnnotation]: "0" } },
    };
    const sameWave: KubeObject = {
      apiVersion: "kro.run/v1alpha1",
      kind: "InferenceEndpoint",
      metadata: { name: "gemma-4b", annotations: { [syncWaveAnnotation]: "0" } },
    };
    const problems = findSyncWaveProblems({ namespaces, definitions: [rgd], instances: [sameWave] }).join(
      "\n",
    );
    expect(problems).toMatch(/after the RGD/);
    expect(problems).toMatch(/SkipDryRunOnMissingResource/);
    const good: KubeObject = {
      ...sameWave,
      metadata: {
        name: "gemma-4b",
        annotations: {
          [syncWaveAnnotation]: "10",
          "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true",
        },
      },
    };
    expect(findSyncWaveProblems({ namespaces, definitions: [rgd], instances: [good] })).toEqual([]);
  });

  it("ArgoCD never prunes or deletes the namespaces holding Terraform's secrets", () => {
    for (const ns of namespaces) {
      const options = ns.metadata?.annotations?.["argocd.argoproj.io/sync-options"] ?? "";
      expect(options.split(",").sort()).toEqual(["Delete=false", "Prune=false"]);
    }
  });
});

describe("defect 7: no repoURL pointing at anyone's real repository", () => {
  it.each(apps.map((m) => [m.object.metadata?.name ?? "?", m.object] as const))(
    "%s uses the placeholder for every git source",
    (_name, object) => {
      expect(findRepoUrlProblems(object)).toEqual([]);
    },
  );

  it("no file under argocd/ or platform/ names a GitHub/GitLab repository", () => {
    for (const file of listYamlFiles(["argocd", "platform"])) {
      expect(readRepoFile(file)).not.toMatch(/(github|gitlab)\.com[:/][\w.-]+\/[\w.-]+(\.git)?/);
    }
  });

  it("catches a hard-coded fork URL and a pinned branch", () => {
    const bad = clone(appNamed("workloads"));
    const source = (bad.spec as { source: Record<string, unknown> }).source;
    source.repoURL = "https://github.com/someone/ai-platform-on-eks.git";
    source.targetRevision = "feature-x";
    const problems = findRepoUrlProblems(bad).join("\n");
    expect(problems).toMatch(/not the placeholder/);
    expect(problems).toMatch(/not main/);
  });
});

describe("defect 8: deleting an Application cascades; automated sync prunes and self-heals", () => {
  it.each(apps.map((m) => [m.object.metadata?.name ?? "?", m.object] as const))("%s", (_name, object) => {
    expect(findApplicationPolicyProblems(object)).toEqual([]);
  });

  it("catches a missing finalizer, prune or selfHeal", () => {
    const bad = clone(appNamed("litellm"));
    if (bad.metadata) bad.metadata.finalizers = [];
    (bad.spec as { syncPolicy: unknown }).syncPolicy = { automated: {} };
    const problems = findApplicationPolicyProblems(bad).join("\n");
    expect(problems).toMatch(/resources-finalizer/);
    expect(problems).toMatch(/without prune/);
    expect(problems).toMatch(/without selfHeal/);
  });

  it("the Applications' own files carry the finalizer literally (kubectl apply -f argocd/ keeps it)", () => {
    for (const file of listYamlFiles(["argocd"])) {
      const [doc] = loadYamlFile(file);
      expect(JSON.stringify(doc?.value)).toContain("resources-finalizer.argocd.argoproj.io");
    }
  });
});
