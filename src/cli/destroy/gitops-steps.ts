/**
 * Steps 2, 3 and 6: stop ArgoCD from re-creating anything, delete the InferenceEndpoints while KRO
 * and KubeRay still run, then delete the Applications (cascade) and PVCs while the EBS CSI driver
 * still runs. Each ends on evidence read back from the cluster (and AWS for the volumes).
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import { isClusterMade } from "../../core/destroy/leftovers.js";
import { openLitellm } from "../cluster-access.js";
import { hasAutomatedSync } from "./facts.js";
import { APPLICATION, ENDPOINT, POD, PVC, RAY_SERVICE, ref, splitRef } from "./kinds.js";
import type { StepRun } from "./step-context.js";
import { waitOrTakeOver } from "./take-over.js";
import { AWS_POLL_MS, waitUntil } from "./wait.js";

const list = async (run: StepRun, kind: { apiVersion: string; kind: string }, labelSelector?: string) => {
  try {
    return await run.cluster!.objects.list(
      kind.apiVersion,
      kind.kind,
      labelSelector ? { labelSelector } : {},
    );
  } catch {
    return [] as KubeObject[];
  }
};

/** "x (Terminating, finalizer kro.run/finalizer)" — what holds an object that should be gone. */
export function holding(o: KubeObject, controllers: Record<string, string> = {}): string {
  const fin = o.metadata.finalizers ?? [];
  if (!o.metadata.deletionTimestamp) return ref(o);
  if (fin.length === 0) return `${ref(o)} (Terminating)`;
  const named = fin.map((f) => (controllers[f] ? `${f}, removed by ${controllers[f]}` : f));
  return `${ref(o)} (Terminating, finalizer ${named.join("; ")})`;
}

const summary = (what: string, items: string[]) =>
  items.length === 0
    ? ""
    : `${items.length} ${what}: ${items.slice(0, 3).join(", ")}${items.length > 3 ? ", …" : ""}`;

export async function stopGitops(run: StepRun): Promise<void> {
  if (!run.cluster) return;
  for (const app of (await list(run, APPLICATION)).filter(hasAutomatedSync)) {
    const { name, namespace } = splitRef(ref(app));
    await run.cluster.objects.mergePatch(APPLICATION.apiVersion, APPLICATION.kind, name, namespace, {
      spec: { syncPolicy: { automated: null } },
    });
    run.deleted(`automated sync of Application ${ref(app)} switched off`);
  }
  await waitUntil(run.ctx, {
    title: "Stop GitOps: automated sync off on every Application",
    timeoutMs: run.timeoutMs,
    lookAt: "`kubectl get applications -A -o yaml` (spec.syncPolicy.automated)",
    resume: run.resume,
    cluster: run.cluster,
    kinds: [APPLICATION],
    check: async () => {
      const still = (await list(run, APPLICATION)).filter(hasAutomatedSync).map(ref);
      return {
        done: still.length === 0,
        waitingFor: summary("Application(s) still syncing automatically", still),
      };
    },
  });
}

export async function deleteEndpoints(run: StepRun): Promise<void> {
  if (!run.cluster) return;
  const cluster = run.cluster;
  const endpoints = await list(run, ENDPOINT);
  for (const ep of endpoints) {
    const { name, namespace } = splitRef(ref(ep));
    if (!ep.metadata.deletionTimestamp)
      await cluster.objects.delete(ENDPOINT.apiVersion, ENDPOINT.kind, name, namespace);
    run.deleted(`InferenceEndpoint ${ref(ep)}`);
  }
  await waitUntil(run.ctx, {
    title: "Delete InferenceEndpoints; wait for their RayServices and Ray pods",
    timeoutMs: run.timeoutMs,
    lookAt:
      "`kubectl get inferenceendpoints,rayservices -A` and the KRO and KubeRay operator logs (they remove the finalizers)",
    resume: run.resume,
    cluster,
    kinds: [ENDPOINT, RAY_SERVICE, POD],
    check: async () => {
      const controllers = { "kro.run/finalizer": "KRO", "ray.io/rayservice-finalizer": "KubeRay" };
      const eps = (await list(run, ENDPOINT)).map((o) => holding(o, controllers));
      const rs = (await list(run, RAY_SERVICE)).map((o) => holding(o, controllers));
      const pods = (await list(run, POD, "ray.io/cluster")).map((o) => holding(o));
      const parts = [
        summary("InferenceEndpoint(s)", eps),
        summary("RayService(s)", rs),
        summary("Ray pod(s)", pods),
      ].filter(Boolean);
      return { done: parts.length === 0, waitingFor: parts.join("; ") };
    },
  });
  if (endpoints.length > 0)
    await deregisterModels(
      run,
      endpoints.map((e) => e.metadata.name ?? ""),
    );
}

/** The platform does not remove models from LiteLLM's database: aiplat does (as undeploy-model). */
async function deregisterModels(run: StepRun, names: string[]): Promise<void> {
  let access: Awaited<ReturnType<typeof openLitellm>> | undefined;
  try {
    access = await openLitellm(run.ctx, run.cluster!);
    const { deregisterModel } = await import("../../adapters/llm/litellm.js");
    for (const name of names) {
      if ((await deregisterModel(access.client, name, run.ctx.signal)) > 0)
        run.deleted(`LiteLLM model ${name} deregistered`);
    }
  } catch (error) {
    run.ctx.io.warn(
      `Could not deregister ${names.join(", ")} from LiteLLM (${(error as Error).message}); its database goes with the platform.`,
    );
  } finally {
    await access?.close();
  }
}

export async function deleteApplications(run: StepRun): Promise<void> {
  if (!run.cluster) return;
  const cluster = run.cluster;
  for (const app of await list(run, APPLICATION)) {
    const { name, namespace } = splitRef(ref(app));
    if (!app.metadata.deletionTimestamp)
      await cluster.objects.delete(APPLICATION.apiVersion, APPLICATION.kind, name, namespace);
    run.deleted(`Application ${ref(app)}`);
  }
  for (const pvc of await list(run, PVC)) {
    const { name, namespace } = splitRef(ref(pvc));
    if (!pvc.metadata.deletionTimestamp)
      await cluster.objects.delete(PVC.apiVersion, PVC.kind, name, namespace);
    run.deleted(`PersistentVolumeClaim ${ref(pvc)}`);
  }
  await waitOrTakeOver(run, "ebs-csi-driver", undefined, {
    title: "Delete the Applications and PVCs; wait for their EBS volumes",
    lookAt:
      "`kubectl get applications,pvc -A` (finalizers: resources-finalizer.argocd.argoproj.io is ArgoCD's, kubernetes.io/pvc-protection waits for the pod using the claim) and EC2 volumes tagged for the cluster",
    cluster,
    kinds: [APPLICATION, PVC],
    pollMs: AWS_POLL_MS,
    check: async () => {
      const controllers = {
        "resources-finalizer.argocd.argoproj.io": "ArgoCD once it deleted what the app manages",
        "kubernetes.io/pvc-protection": "Kubernetes once no pod uses the claim",
      };
      const apps = (await list(run, APPLICATION)).map((o) => holding(o, controllers));
      const pvcs = (await list(run, PVC)).map((o) => holding(o, controllers));
      const volumes = (await run.cloud(["volume"]))
        .filter((l) => l.kind === "volume" && l.madeBy === "ebs-csi-driver" && isClusterMade(l))
        .map((v) => `${v.id} (${v.state ?? "?"})`);
      const parts = [
        summary("Application(s)", apps),
        summary("PVC(s)", pvcs),
        summary("EBS volume(s) of the CSI driver", volumes),
      ].filter(Boolean);
      return { done: parts.length === 0, waitingFor: parts.join("; ") };
    },
  });
}
