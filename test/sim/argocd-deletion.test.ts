import { describe, expect, it } from "vitest";
import { makeTestRepo, type TestRepo } from "../support/git-repo.js";
import type { KubeObject } from "../support/kube/index.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { addNode, get, startSim } from "./support/cluster.js";

const configMap = (name: string, wave: number, finalizers: string[] = []) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  finalizers: ${JSON.stringify(finalizers)}\n  annotations: {"argocd.argoproj.io/sync-wave": "${wave}"}\ndata: {k: v}\n`;

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 10m}}}]}
`;

function application(repo: TestRepo, finalizer: string, selfHeal = true): KubeObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "demo", namespace: "argocd", finalizers: [finalizer] },
    spec: {
      project: "default",
      source: { repoURL: `file://${repo.remote}`, targetRevision: "main", path: "apps/demo" },
      destination: { name: "local-cluster", namespace: "demo" },
      syncPolicy: { automated: { prune: true, selfHeal }, syncOptions: ["CreateNamespace=true"] },
    },
  };
}

const APP = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "demo", namespace: "argocd" };
const cmRef = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", name, namespace: "demo" });
const cm = (sim: SimulatedCluster, name: string) => sim.kube.store.tryGet(cmRef(name));

async function synced(files: Record<string, string>, finalizer: string): Promise<SimulatedCluster> {
  const repo = makeTestRepo({ files });
  const sim = await startSim();
  addNode(sim, "node-a");
  sim.kube.store.apply(application(repo, finalizer), { fieldManager: "test", force: true });
  await sim.settle();
  return sim;
}

describe("simulated Argo CD: deleting an Application", () => {
  it("deletes in reverse sync-wave order, waits while anything is Terminating, and never deletes a CRD", async () => {
    const sim = await synced(
      {
        "apps/demo/first.yaml": configMap("first", 0),
        "apps/demo/last.yaml": configMap("last", 5, ["example.com/hold"]),
        "apps/demo/crd.yaml": crd,
      },
      "resources-finalizer.argocd.argoproj.io",
    );
    expect(cm(sim, "first")).toBeDefined();
    sim.kube.store.delete(APP);
    await sim.settle();
    // Wave 5 goes first and stays Terminating (its finalizer): wave 0 waits, untouched.
    expect(cm(sim, "last")?.metadata?.deletionTimestamp).toBeDefined();
    expect(cm(sim, "first")?.metadata?.deletionTimestamp).toBeUndefined();
    expect(
      get(sim, APP.apiVersion, APP.kind, APP.name, APP.namespace)?.metadata?.deletionTimestamp,
    ).toBeDefined();

    sim.kube.store.patch(cmRef("last"), { metadata: { finalizers: null } });
    await sim.settle();
    expect(cm(sim, "last")).toBeUndefined();
    expect(cm(sim, "first")).toBeUndefined();
    expect(get(sim, APP.apiVersion, APP.kind, APP.name, APP.namespace)).toBeUndefined();
    const crdLeft = get(sim, "apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com");
    expect(crdLeft?.metadata?.deletionTimestamp).toBeUndefined();
  });

  for (const [finalizer, foreground] of [
    ["resources-finalizer.argocd.argoproj.io", true],
    ["resources-finalizer.argocd.argoproj.io/foreground", true],
    ["resources-finalizer.argocd.argoproj.io/background", false],
  ] as const) {
    it(`${finalizer} deletes with ${foreground ? "foreground" : "background"} propagation`, async () => {
      const sim = await synced({ "apps/demo/web.yaml": web }, finalizer);
      const finalizersSeen: string[] = [];
      const stop = sim.kube.store.watch({ apiVersion: "apps/v1", kind: "Deployment" }, {}, (e) =>
        finalizersSeen.push(...(e.object.metadata?.finalizers ?? [])),
      );
      sim.kube.store.delete(APP);
      await sim.settle();
      stop();
      expect(finalizersSeen.includes("foregroundDeletion")).toBe(foreground);
      expect(get(sim, "apps/v1", "Deployment", "web", "demo")).toBeUndefined();
      expect(get(sim, APP.apiVersion, APP.kind, APP.name, APP.namespace)).toBeUndefined();
    });
  }

  it("self-heal re-reads the Application when its timer fires: a heal scheduled before automated was switched off does nothing", async () => {
    const sim = await synced(
      { "apps/demo/first.yaml": configMap("first", 0) },
      "resources-finalizer.argocd.argoproj.io",
    );
    let switchedOff = false;
    // The reconcile that schedules the heal reports OutOfSync; switch automated sync off right then.
    const stop = sim.kube.store.watch({ apiVersion: APP.apiVersion, kind: APP.kind }, {}, (e) => {
      const sync = (e.object.status as { sync?: { status?: string } } | undefined)?.sync?.status;
      if (sync === "OutOfSync" && !switchedOff) {
        switchedOff = true;
        sim.argocd.setAutomated("demo", false);
      }
    });
    sim.kube.store.delete(cmRef("first"));
    await sim.settle();
    stop();
    expect(switchedOff).toBe(true);
    expect(cm(sim, "first")).toBeUndefined();
  });
});
