/**
 * How fast `aiplat bootstrap` notices a change of an Application's status: the test API server's
 * store changes an app (as ArgoCD would), and the time until bootstrap's wait loop (the same
 * objects.watch + assessRollout code the command runs, over HTTP) reports the new state is taken.
 * A watch, not a poll: the target is a median of at most 250 ms.
 * Usage: npx tsx bench/bootstrap/notice-latency.ts [changes]
 */
import { createKubeObjects } from "../../src/adapters/kube/objects.js";
import { waitForApplications } from "../../src/cli/bootstrap/wait-applications.js";
import { startKubeServer } from "../../test/support/kube/index.js";
import { installCrds } from "../../test/support/sim/crds.js";

const changes = Number(process.argv[2] ?? 200);
const APPS = ["gpu-operator", "kuberay-operator", "langfuse", "litellm", "open-webui", "workloads"];
const ref = (name: string) => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Application",
  name,
  namespace: "argocd",
});

const kube = await startKubeServer();
installCrds(kube.store);
kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } });
for (const name of APPS) {
  kube.store.create({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name, namespace: "argocd" },
    spec: {
      project: "default",
      source: { repoURL: "https://example.invalid/x.git", path: name },
      destination: { server: "https://kubernetes.default.svc" },
    },
  });
}
const setStatus = (name: string, status: object) =>
  kube.store.patch(ref(name), { status }, "merge", { subresource: "status", fieldManager: "bench" });

let seen = "";
let notify: (() => void) | undefined;
const objects = createKubeObjects(kube.kubeconfig());
const signal = new AbortController().signal;
const waiting = waitForApplications(objects, {
  namespace: "argocd",
  expected: APPS,
  timeoutMs: 10 * 60_000,
  signal,
  lookHint: "",
  resume: "",
  onUpdate: (state) => {
    seen = state.rows.find((r) => r.app === "litellm")?.message ?? "";
    notify?.();
  },
});

// Let the initial list and the watch connect.
await new Promise((r) => setTimeout(r, 300));
const samples: number[] = [];
for (let i = 0; i < changes; i++) {
  const message = `rollout step ${i}`;
  const noticed = new Promise<void>((resolve) => {
    notify = () => {
      if (seen === message) resolve();
    };
  });
  const start = performance.now();
  setStatus("litellm", { sync: { status: "Synced" }, health: { status: "Progressing", message } });
  await noticed;
  samples.push(performance.now() - start);
  await new Promise((r) => setTimeout(r, 5));
}
for (const name of APPS) setStatus(name, { sync: { status: "Synced" }, health: { status: "Healthy" } });
await waiting;
await kube.stop();

samples.sort((a, b) => a - b);
const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
console.log(
  JSON.stringify(
    {
      changes,
      medianMs: +at(0.5).toFixed(2),
      p95Ms: +at(0.95).toFixed(2),
      maxMs: +at(1).toFixed(2),
      node: process.version,
    },
    null,
    2,
  ),
);
