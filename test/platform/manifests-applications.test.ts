import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/paths.js";
import {
  applicationSources,
  findApplicationPolicyProblems,
  findChartPinProblems,
  findRepoUrlProblems,
  placeholderRepoUrl,
  syncOptions,
} from "./support/manifests-checks.js";
import { selectDirectoryFiles } from "./support/manifests-glob.js";
import {
  dig,
  isKubeObject,
  listFiles,
  listYamlFiles,
  loadManifests,
  loadYamlFile,
  readRepoFile,
  toRepoPath,
} from "./support/manifests-load.js";

const appNames = ["gpu-operator", "kuberay-operator", "langfuse", "litellm", "open-webui", "workloads"];
const appFiles = listYamlFiles(["argocd"]);
const apps = loadManifests(appFiles).filter((m) => m.object.kind === "Application");
const appByName = new Map(apps.map((m) => [m.object.metadata?.name ?? "", m]));

function app(name: string) {
  const found = appByName.get(name);
  if (!found) throw new Error(`argocd/ has no Application ${name}`);
  return found.object;
}

describe("argocd/: the six bootstrap Applications", () => {
  it("has exactly gpu-operator, kuberay-operator, langfuse, litellm, open-webui and workloads", () => {
    expect([...appByName.keys()].sort()).toEqual([...appNames].sort());
  });

  it.each(appNames)("%s lives in argocd/%s.yaml (one file per app, as the CLI applies them)", (name) => {
    expect(appByName.get(name)?.file).toBe(`argocd/${name}.yaml`);
  });

  it.each(appNames)("%s: cascade finalizer, automated prune+selfHeal, SSA, local-cluster", (name) => {
    expect(findApplicationPolicyProblems(app(name))).toEqual([]);
  });

  it.each(appNames)("%s: git sources use the placeholder aiplat init rewrites", (name) => {
    expect(findRepoUrlProblems(app(name))).toEqual([]);
  });

  it.each(appNames)("%s: the placeholder and branch are plain scalars, one pair per git source", (name) => {
    const text = readRepoFile(`argocd/${name}.yaml`);
    const gitSources = applicationSources(app(name)).filter((s) => s.chart === undefined);
    const urlLines = text
      .split("\n")
      .filter((l) => /^\s*(- )?repoURL: /.test(l) && l.includes("example.invalid"));
    expect(urlLines).toHaveLength(gitSources.length);
    for (const line of urlLines)
      expect(line.trim().replace(/^- /, "")).toBe(`repoURL: ${placeholderRepoUrl}`);
    const revisionLines = text.split("\n").filter((l) => /^\s*targetRevision: main$/.test(l));
    expect(revisionLines).toHaveLength(gitSources.length);
  });

  it.each(appNames)("%s: charts pinned to one exact version", (name) => {
    expect(findChartPinProblems(app(name))).toEqual([]);
  });

  it("pins the charts the platform was written against", () => {
    const version = (name: string, chart: string) =>
      applicationSources(app(name)).find((s) => s.chart === chart)?.targetRevision;
    expect(version("gpu-operator", "gpu-operator")).toMatch(/^v\d+\.\d+\.\d+$/);
    // The RGD's RayService is validated against the KubeRay v1.5.1 CRDs.
    expect(version("kuberay-operator", "kuberay-operator")).toMatch(/^1\.5\.\d+$/);
    expect(version("langfuse", "langfuse")).toMatch(/^1\.\d+\.\d+$/);
    expect(version("open-webui", "open-webui")).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each(appNames)("%s: every $values file and git path exists in this repository", (name) => {
    const sources = applicationSources(app(name));
    const valueFiles = sources.flatMap((s) => s.helm?.valueFiles ?? []);
    if (valueFiles.length > 0) expect(sources.some((s) => s.ref === "values")).toBe(true);
    for (const file of valueFiles) {
      expect(file.startsWith("$values/")).toBe(true);
      expect(existsSync(join(repoRoot, file.slice("$values/".length)))).toBe(true);
    }
    for (const source of sources.filter((s) => s.path !== undefined)) {
      expect(existsSync(join(repoRoot, String(source.path)))).toBe(true);
    }
  });

  it("creates only the operators' own namespaces; ai-platform and inference come from Terraform", () => {
    const creates = appNames.filter((n) => syncOptions(app(n)).includes("CreateNamespace=true"));
    expect(creates.sort()).toEqual(["gpu-operator", "kuberay-operator"]);
    expect(dig(app("gpu-operator"), "spec", "destination", "namespace")).toBe("gpu-operator");
    expect(dig(app("kuberay-operator"), "spec", "destination", "namespace")).toBe("kuberay-system");
    for (const name of ["langfuse", "litellm", "open-webui"])
      expect(dig(app(name), "spec", "destination", "namespace")).toBe("ai-platform");
  });
});

describe("the workloads Application syncs namespaces, KRO definitions and workloads only", () => {
  const source = applicationSources(app("workloads"))[0];
  const directory = source?.directory ?? {};
  const platformFiles = listFiles(join(repoRoot, "platform")).map((f) =>
    toRepoPath(f).slice("platform/".length),
  );

  it("reads platform/ recursively", () => {
    expect(source?.path).toBe("platform");
    expect(directory.recurse).toBe(true);
  });

  for (const starCrossesSlash of [false, true]) {
    const reading = starCrossesSlash ? "`*` crossing /" : "`*` within one folder";
    it(`selects the same files whichever glob reading ArgoCD uses (${reading})`, () => {
      const sample = [
        "namespaces/ai-platform.yaml",
        "kro-definitions/inference-endpoint.yaml",
        "workloads/gemma-4b.yaml",
        "workloads/README.md",
        "README.md",
        "apps/litellm/deployment.yaml",
        "apps/langfuse/helm-values.yaml",
      ];
      expect(selectDirectoryFiles(sample, directory, starCrossesSlash)).toEqual([
        "namespaces/ai-platform.yaml",
        "kro-definitions/inference-endpoint.yaml",
        "workloads/gemma-4b.yaml",
      ]);
      const selected = selectDirectoryFiles(platformFiles, directory, starCrossesSlash);
      expect(selected.filter((f) => f.startsWith("apps/"))).toEqual([]);
      expect(selected).toContain("namespaces/inference.yaml");
      expect(selected).toContain("namespaces/ai-platform.yaml");
    });
  }

  it("excludes README.md files even by name (platform/workloads starts with only a README)", () => {
    expect(directory.exclude).toBeDefined();
    expect(
      selectDirectoryFiles(["workloads/README.md"], { ...directory, include: undefined }, false),
    ).toEqual([]);
  });

  it("every file it would apply is a Kubernetes object", () => {
    for (const file of selectDirectoryFiles(platformFiles, directory, false)) {
      const docs = loadYamlFile(`platform/${file}`);
      for (const doc of docs) expect(isKubeObject(doc.value)).toBe(true);
    }
  });
});

describe("the litellm Application's directory holds manifests only", () => {
  it("every YAML document under platform/apps/litellm is a Kubernetes object", () => {
    const files = listYamlFiles(["platform/apps/litellm"]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      for (const doc of loadYamlFile(file)) expect(isKubeObject(doc.value)).toBe(true);
  });
});
