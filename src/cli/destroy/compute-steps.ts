/**
 * Steps 4 and 5: load balancers (while the AWS Load Balancer Controller runs) and Karpenter's
 * nodes. Both end on AWS evidence, not only on the Kubernetes objects: an NLB's ENIs linger after
 * the Service is gone, and an instance passes shutting-down after its NodeClaim is gone.
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import { explainDrainBlockers } from "./drain-blockers.js";
import { isLoadBalancerService } from "./facts.js";
import { holding } from "./gitops-steps.js";
import { INGRESS, NODE, NODE_CLAIM, NODE_POOL, ref, SERVICE, splitRef } from "./kinds.js";
import type { StepRun } from "./step-context.js";
import { AWS_POLL_MS, waitUntil } from "./wait.js";

const list = async (run: StepRun, kind: { apiVersion: string; kind: string }, labelSelector?: string) => {
  if (!run.cluster) return [] as KubeObject[];
  try {
    return await run.cluster.objects.list(kind.apiVersion, kind.kind, labelSelector ? { labelSelector } : {});
  } catch {
    return [] as KubeObject[];
  }
};

const summary = (what: string, items: string[]) =>
  items.length === 0
    ? ""
    : `${items.length} ${what}: ${items.slice(0, 3).join(", ")}${items.length > 3 ? ", …" : ""}`;

const LB_CONTROLLER = {
  "service.k8s.aws/resources": "the AWS Load Balancer Controller once AWS deleted the load balancer",
  "ingress.k8s.aws/resources": "the AWS Load Balancer Controller once AWS deleted the load balancer",
};

export async function deleteLoadBalancers(run: StepRun): Promise<void> {
  const cluster = run.cluster;
  if (cluster) {
    for (const svc of (await list(run, SERVICE)).filter(isLoadBalancerService)) {
      const { name, namespace } = splitRef(ref(svc));
      if (!svc.metadata.deletionTimestamp)
        await cluster.objects.delete(SERVICE.apiVersion, SERVICE.kind, name, namespace);
      run.deleted(`Service ${ref(svc)} (LoadBalancer)`);
    }
    for (const ing of await list(run, INGRESS)) {
      const { name, namespace } = splitRef(ref(ing));
      if (!ing.metadata.deletionTimestamp)
        await cluster.objects.delete(INGRESS.apiVersion, INGRESS.kind, name, namespace);
      run.deleted(`Ingress ${ref(ing)}`);
    }
  }
  await waitUntil(run.ctx, {
    title:
      "Delete LoadBalancer Services and Ingresses; wait for the load balancers, target groups, security groups and ENIs in AWS",
    timeoutMs: run.timeoutMs,
    lookAt:
      "`kubectl get svc,ingress -A` (finalizer service.k8s.aws/resources), the aws-load-balancer-controller logs in kube-system, and EC2 → Load Balancers / Network Interfaces tagged elbv2.k8s.aws/cluster",
    resume: run.resume,
    cluster,
    kinds: [SERVICE, INGRESS],
    pollMs: AWS_POLL_MS,
    check: async () => {
      const svcs = (await list(run, SERVICE))
        .filter(isLoadBalancerService)
        .map((o) => holding(o, LB_CONTROLLER));
      const ings = (await list(run, INGRESS)).map((o) => holding(o, LB_CONTROLLER));
      const aws = (await run.cloud()).filter((l) => l.madeBy === "aws-load-balancer-controller");
      const parts = [
        summary("LoadBalancer Service(s)", svcs),
        summary("Ingress(es)", ings),
        summary(
          "AWS resource(s) of the LB controller",
          aws.map(
            (l) =>
              `${l.kind} ${l.name ?? l.id}${l.kind === "eni" ? " (ENIs linger minutes after their load balancer)" : ""}`,
          ),
        ),
      ].filter(Boolean);
      return { done: parts.length === 0, waitingFor: parts.join("; ") };
    },
  });
}

export async function deleteNodePools(run: StepRun): Promise<void> {
  const cluster = run.cluster;
  if (cluster) {
    for (const pool of await list(run, NODE_POOL)) {
      if (!pool.metadata.deletionTimestamp)
        await cluster.objects.delete(NODE_POOL.apiVersion, NODE_POOL.kind, pool.metadata.name ?? "");
      run.deleted(`NodePool ${ref(pool)}`);
    }
  }
  await waitUntil(run.ctx, {
    title:
      "Delete the Karpenter NodePools; wait until no Karpenter instance is pending, running or shutting down",
    timeoutMs: run.timeoutMs,
    lookAt:
      "`kubectl get nodeclaims,nodes` (finalizer karpenter.sh/termination), the Karpenter controller logs, PodDisruptionBudgets on those nodes, and EC2 instances tagged karpenter.sh/nodepool",
    resume: run.resume,
    cluster,
    kinds: [NODE_CLAIM, NODE, NODE_POOL],
    pollMs: AWS_POLL_MS,
    check: async () => {
      const fin = {
        "karpenter.sh/termination": "Karpenter once the node is drained and the instance terminated",
      };
      const claims = (await list(run, NODE_CLAIM)).map((o) => holding(o, fin));
      const nodes = await list(run, NODE, "karpenter.sh/nodepool");
      const instances = (await run.cloud()).filter((l) => l.kind === "instance" && l.madeBy === "karpenter");
      const blockers = cluster ? await explainDrainBlockers(cluster, nodes) : [];
      const parts = [
        summary("NodeClaim(s)", claims),
        summary(
          "Karpenter node(s)",
          nodes.map((o) => holding(o, fin)),
        ),
        summary(
          "EC2 instance(s) launched by Karpenter",
          instances.map((i) => `${i.id} ${i.type ?? ""} ${i.state ?? ""}`.trim()),
        ),
        ...blockers,
      ].filter(Boolean);
      return { done: claims.length + nodes.length + instances.length === 0, waitingFor: parts.join("; ") };
    },
  });
}
