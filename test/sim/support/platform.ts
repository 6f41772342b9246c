import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { makeTestRepo, type TestRepo } from "../../support/git-repo.js";
import type { KubeObject } from "../../support/kube/index.js";
import { repoRoot } from "../../support/paths.js";
import type { SimulatedCluster } from "../../support/sim/index.js";

/** A platform repository (this checkout's argocd/, platform/, templates/) with a bare origin. */
export function makePlatformRepo(): TestRepo {
  return makeTestRepo({ copyFrom: repoRoot, copy: ["argocd", "platform", "templates"] });
}

/** The argocd/ Applications with every repoURL of this repository pointed at the bare remote. */
export function loadApplications(repo: TestRepo): KubeObject[] {
  const dir = join(repo.dir, "argocd");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => {
      const text = readFileSync(join(dir, f), "utf8").replaceAll(
        "https://example.invalid/set-by-aiplat-init.git",
        `file://${repo.remote}`,
      );
      return parseYaml(text) as KubeObject;
    });
}

export function applyApplications(sim: SimulatedCluster, apps: KubeObject[]): void {
  for (const app of apps) sim.kube.store.apply(app, { fieldManager: "aiplat", force: true });
}

/** Commits and pushes platform/workloads/<name>.yaml from the endpoint template. */
export function commitEndpoint(repo: TestRepo, name: string): void {
  const template = readFileSync(join(repo.dir, "templates", "inference-endpoint.yaml"), "utf8").replace(
    /name: gemma-4b/,
    `name: ${name}`,
  );
  writeFileSync(join(repo.dir, "platform", "workloads", `${name}.yaml`), template);
  repo.git("add", `platform/workloads/${name}.yaml`);
  repo.git("commit", "--quiet", "-m", `deploy ${name}`);
  repo.git("push", "--quiet", "origin", "main");
}

export function app(sim: SimulatedCluster, name: string): KubeObject {
  return sim.kube.store.get({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    name,
    namespace: "argocd",
  });
}

export function endpoint(sim: SimulatedCluster, name: string): KubeObject | undefined {
  return sim.kube.store.tryGet({
    apiVersion: "kro.run/v1alpha1",
    kind: "InferenceEndpoint",
    name,
    namespace: "inference",
  });
}

export function gpuNodes(sim: SimulatedCluster): KubeObject[] {
  return sim.kube.store.list(
    { apiVersion: "v1", kind: "Node" },
    { labelSelector: "workload-type=gpu-inference" },
  );
}

export function readyCondition(obj: KubeObject | undefined): string | undefined {
  const conditions =
    (obj?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === "Ready")?.status;
}
