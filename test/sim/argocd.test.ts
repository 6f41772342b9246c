import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTestRepo, type TestRepo } from "../support/git-repo.js";
import type { KubeObject } from "../support/kube/index.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { get, list, startSim } from "./support/cluster.js";

const configMap = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations: ${JSON.stringify(annotations)}\ndata: ${JSON.stringify(data)}\n`;

const deployment = (name: string, wave: number, nodeSelector?: Record<string, string>) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: {"argocd.argoproj.io/sync-wave": "${wave}"}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      ${nodeSelector ? `nodeSelector: ${JSON.stringify(nodeSelector)}` : "nodeSelector: {}"}
      containers: [{name: c, image: busybox, resources: {requests: {cpu: 10m}}}]
`;

function application(
  repo: TestRepo,
  opts: { automated?: { prune?: boolean; selfHeal?: boolean } | null; finalizer?: boolean } = {},
): KubeObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: "demo",
      namespace: "argocd",
      ...(opts.finalizer === false ? {} : { finalizers: ["resources-finalizer.argocd.argoproj.io"] }),
    },
    spec: {
      project: "default",
      source: { repoURL: `file://${repo.remote}`, targetRevision: "main", path: "apps/demo" },
      destination: { name: "local-cluster", namespace: "demo" },
      syncPolicy: {
        ...(opts.automated === null ? {} : { automated: opts.automated ?? { prune: true, selfHeal: true } }),
        syncOptions: ["CreateNamespace=true"],
      },
    },
  };
}

function demoRepo(files: Record<string, string> = {}): TestRepo {
  return makeTestRepo({
    files: {
      "apps/demo/settings.yaml": configMap("settings", { color: "blue" }),
      "apps/demo/README.md": "# not applied\n",
      ...files,
    },
  });
}

function commit(repo: TestRepo, files: Record<string, string | null>): string {
  for (const [path, text] of Object.entries(files)) {
    if (text === null) repo.git("rm", "--quiet", path);
    else {
      repo.git("rm", "--quiet", "--ignore-unmatch", path);
      mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
      writeFileSync(join(repo.dir, path), text);
      repo.git("add", path);
    }
  }
  repo.git("commit", "--quiet", "-m", "change");
  repo.git("push", "--quiet", "origin", "main");
  return repo.git("rev-parse", "HEAD");
}

const appStatus = (sim: SimulatedCluster) =>
  get(sim, "argoproj.io/v1alpha1", "Application", "demo", "argocd")?.status as {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string };
    conditions?: { type: string; message: string }[];
    resources?: { kind: string; name: string; status: string }[];
  };

const cm = (sim: SimulatedCluster, name: string) => get(sim, "v1", "ConfigMap", name, "demo");

describe("simulated ArgoCD", () => {
  it("syncs the manifests at the path from the branch's current commit and reports Synced/Healthy with the revision", async () => {
    const repo = demoRepo();
    const sim = await startSim();
    sim.kube.store.apply(application(repo), { fieldManager: "test", force: true });
    await sim.settle();
    expect(cm(sim, "settings")?.data).toEqual({ color: "blue" });
    expect(appStatus(sim)).toMatchObject({
      sync: { status: "Synced", revision: repo.git("rev-parse", "HEAD") },
      health: { status: "Healthy" },
    });
    expect(appStatus(sim).resources?.map((r) => `${r.kind}/${r.name}`)).toEqual([
      "Namespace/demo",
      "ConfigMap/settings",
    ]);

    const next = commit(repo, { "apps/demo/settings.yaml": configMap("settings", { color: "green" }) });
    await sim.settle();
    expect(cm(sim, "settings")?.data).toEqual({ color: "green" });
    expect(appStatus(sim).sync?.revision).toBe(next);
  });

  it("reports Progressing with the reason while a workload is not available, then Degraded past its deadline", async () => {
    const repo = demoRepo({ "apps/demo/web.yaml": deployment("web", 0, { "workload-type": "nowhere" }) });
    const sim = await startSim();
    const seen: string[] = [];
    const stop = sim.kube.store.watch(
      { apiVersion: "argoproj.io/v1alpha1", kind: "Application" },
      {},
      (e) => {
        const health = (e.object.status as { health?: { status?: string; message?: string } } | undefined)
          ?.health;
        if (health?.status) seen.push(`${health.status}: ${health.message ?? ""}`);
      },
    );
    sim.kube.store.apply(application(repo), { fieldManager: "test", force: true });
    await sim.settle();
    stop();
    expect(seen.some((h) => h.startsWith("Progressing: Waiting for rollout to finish:"))).toBe(true);
    expect(appStatus(sim).health).toEqual({
      status: "Degraded",
      message: 'Deployment "web" exceeded its progress deadline',
    });
  });

  it("applies sync waves in order, each after the previous one is healthy", async () => {
    const repo = demoRepo({
      "apps/demo/first.yaml": deployment("first", -1),
      "apps/demo/later.yaml": configMap("later", { a: "b" }, { "argocd.argoproj.io/sync-wave": "5" }),
    });
    const sim = await startSim();
    let firstReadyWhenLaterCreated: number | undefined;
    const stop = sim.kube.store.watch({ apiVersion: "v1", kind: "ConfigMap" }, {}, (e) => {
      if (e.type === "ADDED" && e.object.metadata?.name === "later") {
        const first = get(sim, "apps/v1", "Deployment", "first", "demo");
        firstReadyWhenLaterCreated =
          (first?.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0;
      }
    });
    sim.kube.store.apply(application(repo), { fieldManager: "test", force: true });
    await sim.settle();
    stop();
    expect(firstReadyWhenLaterCreated).toBe(1);
  });

  it("prunes what left git and self-heals a deleted object", async () => {
    const repo = demoRepo({ "apps/demo/extra.yaml": configMap("extra", { x: "1" }) });
    const sim = await startSim();
    sim.kube.store.apply(application(repo), { fieldManager: "test", force: true });
    await sim.settle();
    sim.kube.store.delete({ apiVersion: "v1", kind: "ConfigMap", name: "settings", namespace: "demo" });
    await sim.settle();
    expect(cm(sim, "settings")).toBeDefined();
    commit(repo, { "apps/demo/extra.yaml": null });
    await sim.settle();
    expect(cm(sim, "extra")).toBeUndefined();
    expect(appStatus(sim).sync?.status).toBe("Synced");
  });

  it("prunes in reverse sync-wave order, a lower wave only once the higher one is gone", async () => {
    const repo = demoRepo({
      "apps/demo/low.yaml": configMap("low", { w: "0" }),
      "apps/demo/high.yaml": configMap("high", { w: "5" }, { "argocd.argoproj.io/sync-wave": "5" }),
    });
    const sim = await startSim();
    sim.kube.store.apply(application(repo), { fieldManager: "test", force: true });
    await sim.settle();
    // Something else holds the wave-5 object while it is deleted.
    sim.kube.store.patch(
      { apiVersion: "v1", kind: "ConfigMap", name: "high", namespace: "demo" },
      { metadata: { finalizers: ["example.com/hold"] } },
    );
    commit(repo, { "apps/demo/low.yaml": null, "apps/demo/high.yaml": null });
    await sim.settle();
    expect(cm(sim, "high")?.metadata?.deletionTimestamp).toBeDefined();
    // The wave-0 object is not touched while the wave-5 one is Terminating.
    expect(cm(sim, "low")).toBeDefined();
    expect(cm(sim, "low")?.metadata?.deletionTimestamp).toBeUndefined();
    const op = (appStatus(sim) as { operationState?: { phase?: string; message?: string } }).operationState;
    expect(op).toMatchObject({
      phase: "Running",
      message: "waiting for deletion of ConfigMap/high (wave 0)",
    });

    sim.kube.store.patch(
      { apiVersion: "v1", kind: "ConfigMap", name: "high", namespace: "demo" },
      { metadata: { finalizers: null } },
    );
    await sim.settle();
    expect(cm(sim, "high")).toBeUndefined();
    expect(cm(sim, "low")).toBeUndefined();
    expect(appStatus(sim).operationState?.phase).toBe("Succeeded");
  });

  it("re-creates nothing without selfHeal or with automated sync off, and shows OutOfSync", async () => {
    const repo = demoRepo();
    const sim = await startSim();
    sim.kube.store.apply(application(repo, { automated: { prune: true, selfHeal: false } }), {
      fieldManager: "test",
      force: true,
    });
    await sim.settle();
    sim.kube.store.delete({ apiVersion: "v1", kind: "ConfigMap", name: "settings", namespace: "demo" });
    await sim.settle();
    expect(cm(sim, "settings")).toBeUndefined();
    expect(appStatus(sim)).toMatchObject({ sync: { status: "OutOfSync" }, health: { status: "Missing" } });

    sim.argocd.setAutomated("demo", false);
    commit(repo, { "apps/demo/new.yaml": configMap("new", { n: "1" }) });
    await sim.settle();
    expect(cm(sim, "new")).toBeUndefined();
    expect(appStatus(sim).sync?.status).toBe("OutOfSync");
  });

  it("cascades a delete through resources-finalizer and orphans without it", async () => {
    const repo = demoRepo();
    const sim = await startSim();
    sim.kube.store.apply(application(repo), { fieldManager: "test", force: true });
    await sim.settle();
    sim.kube.store.delete({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      name: "demo",
      namespace: "argocd",
    });
    await sim.settle();
    expect(get(sim, "argoproj.io/v1alpha1", "Application", "demo", "argocd")).toBeUndefined();
    expect(cm(sim, "settings")).toBeUndefined();

    sim.kube.store.apply(application(repo, { finalizer: false }), { fieldManager: "test", force: true });
    await sim.settle();
    sim.kube.store.delete({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      name: "demo",
      namespace: "argocd",
    });
    await sim.settle();
    expect(cm(sim, "settings")).toBeDefined();
  });

  it("reports a ComparisonError for a repository it cannot reach", async () => {
    const repo = demoRepo();
    const sim = await startSim();
    const app = application(repo);
    (app.spec as { source: { repoURL: string } }).source.repoURL =
      "https://example.invalid/set-by-aiplat-init.git";
    sim.kube.store.apply(app, { fieldManager: "test", force: true });
    await sim.settle();
    expect(appStatus(sim).sync?.status).toBe("Unknown");
    expect(appStatus(sim).conditions?.[0]).toMatchObject({ type: "ComparisonError" });
    expect(appStatus(sim).conditions?.[0]?.message).toContain("repository not found");
    expect(list(sim, "v1", "ConfigMap", { namespace: "demo" })).toEqual([]);
  });

  it("syncs from its git remote only for the remote's own URLs, never for the init placeholder", async () => {
    const repo = demoRepo();
    const fork = "https://github.com/me/aiplat.git";
    const sim = await startSim({ gitRemote: repo.remote, gitRemoteUrls: [fork] });
    const app = application(repo);
    const source = (app.spec as { source: { repoURL: string } }).source;
    source.repoURL = "https://example.invalid/set-by-aiplat-init.git";
    sim.kube.store.apply(app, { fieldManager: "test", force: true });
    await sim.settle();
    expect(appStatus(sim).conditions?.[0]?.message).toContain("repository not found");
    expect(list(sim, "v1", "ConfigMap", { namespace: "demo" })).toEqual([]);
    // The fork's URL names the remote: the same Application then syncs.
    source.repoURL = fork;
    sim.kube.store.apply(app, { fieldManager: "test", force: true });
    await sim.settle();
    expect(appStatus(sim).sync?.status).toBe("Synced");
    expect(cm(sim, "settings")?.data).toEqual({ color: "blue" });
  });

  it("runs a requested sync (the operation field) even with automated sync off, and clears the request", async () => {
    const repo = demoRepo();
    const sim = await startSim();
    sim.kube.store.apply(application(repo, { automated: null }), { fieldManager: "test", force: true });
    await sim.settle();
    expect(cm(sim, "settings")).toBeUndefined();
    expect(appStatus(sim).sync?.status).toBe("OutOfSync");
    sim.kube.store.patch(
      { apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "demo", namespace: "argocd" },
      { operation: { sync: { revision: "main", prune: true } } },
      "merge",
    );
    await sim.settle();
    expect(cm(sim, "settings")?.data).toEqual({ color: "blue" });
    expect(appStatus(sim)).toMatchObject({
      sync: { status: "Synced" },
      operationState: { phase: "Succeeded" },
    });
    expect(
      (get(sim, "argoproj.io/v1alpha1", "Application", "demo", "argocd") as { operation?: unknown })
        .operation,
    ).toBeUndefined();
  });

  it("refuses a destination that is not a registered cluster (managed ArgoCD has no kubernetes.default.svc)", async () => {
    const repo = demoRepo();
    const sim = await startSim();
    const app = application(repo);
    (app.spec as { destination: Record<string, string> }).destination = {
      server: "https://kubernetes.default.svc",
      namespace: "demo",
    };
    sim.kube.store.apply(app, { fieldManager: "test", force: true });
    await sim.settle();
    expect(appStatus(sim).conditions?.[0]).toMatchObject({ type: "InvalidSpecError" });
    expect(appStatus(sim).conditions?.[0]?.message).toContain(
      "https://kubernetes.default.svc has not been configured",
    );
    expect(list(sim, "v1", "ConfigMap", { namespace: "demo" })).toEqual([]);
  });
});
