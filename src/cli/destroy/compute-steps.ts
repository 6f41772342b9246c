/**
 * Steps 4 and 5: load balancers (while the AWS Load Balancer Controller runs) and Karpenter's
 * nodes. Both end on AWS evidence, not only on the Kubernetes objects: an NLB's ENIs linger after
 * the Service is gone, and an instance passes shutting-down after its NodeClaim is gone.
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import { explainDrainBlockers } from "./drain-blockers.js";
import { isLoadBalancerService } from "./facts.js";
import { holding } from "./gitops-steps.js";
import { INGRESS, NODE, NODE_CLAIM, NODE_CLASS, NODE_POOL, ref, SERVICE, splitRef } from "./kinds.js";
import { releaseKarpenterFinalizers, releaseLoadBalancerFinalizers } from "./release-finalizers.js";
import type { StepRun } from "./step-context.js";
import { waitOrTakeOver } from "./take-over.js";
import { AWS_POLL_MS } from "./wait.js";

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
  await waitOrTakeOver(run, "aws-load-balancer-controller", releaseLoadBalancerFinalizers, {
    title:
      "Delete LoadBalancer Services and Ingresses; wait for the load balancers, target groups, security groups and ENIs in AWS",
    lookAt:
      "`kubectl get svc,ingress -A` (finalizer service.k8s.aws/resources), the aws-load-balancer-controller logs in kube-system, and EC2 → Load Balancers / Network Interfaces tagged elbv2.k8s.aws/cluster",
    cluster,
    kinds: [SERVICE, INGRESS],
    pollMs: AWS_POLL_MS,
    check: async () => {
      const svcs = (await list(run, SERVICE))
        .filter(isLoadBalancerService)
        .map((o) => holding(o, LB_CONTROLLER));
      const ings = (await list(run, INGRESS)).map((o) => holding(o, LB_CONTROLLER));
      const aws = (await run.cloud(["load-balancer", "target-group", "security-group", "eni"])).filter(
        (l) => l.madeBy === "aws-load-balancer-controller",
      );
      const parts = [
        summary("LoadBalancer Service(s)", svcs),
        summary("Ingress(es)", ings),
        summary(
          "AWS resource(s) of the LB controller",
          aws.map(
            (l) =>
              `${l.kind} ${l.kind === "eni" ? l.id : (l.name ?? l.id)}${l.kind === "eni" ? " (ENIs linger minutes after their load balancer)" : ""}`,
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
    // EC2NodeClasses too, while Karpenter runs: their finalizer deletes the instance profile
    // Karpenter made, once no NodeClaim uses the class (karpenter-provider-aws nodeclass finalize).
    for (const nc of await list(run, NODE_CLASS)) {
      if (!nc.metadata.deletionTimestamp)
        await cluster.objects.delete(NODE_CLASS.apiVersion, NODE_CLASS.kind, nc.metadata.name ?? "");
      run.deleted(`EC2NodeClass ${ref(nc)}`);
    }
  }
  await waitOrTakeOver(run, "karpenter", releaseKarpenterFinalizers, {
    title:
      "Delete the Karpenter NodePools; wait until no Karpenter instance is pending, running or shutting down",
    lookAt:
      "`kubectl get nodeclaims,nodes` (finalizer karpenter.sh/termination), the Karpenter controller logs, PodDisruptionBudgets on those nodes, and EC2 instances tagged karpenter.sh/nodepool",
    cluster,
    kinds: [NODE_CLAIM, NODE, NODE_POOL, NODE_CLASS],
    pollMs: AWS_POLL_MS,
    check: async () => {
      const fin = {
        "karpenter.sh/termination": "Karpenter once the node is drained and the instance terminated",
      };
      const claims = (await list(run, NODE_CLAIM)).map((o) => holding(o, fin));
      const nodes = await list(run, NODE, "karpenter.sh/nodepool");
      const cloud = await run.cloud(["instance", "instance-profile"]);
      const instances = cloud.filter((l) => l.kind === "instance" && l.madeBy === "karpenter");
      const profiles = cloud.filter((l) => l.kind === "instance-profile" && l.madeBy === "karpenter");
      const fin2 = {
        "karpenter.k8s.aws/termination":
          "Karpenter once no NodeClaim uses it and its instance profile is deleted",
      };
      const classes = (await list(run, NODE_CLASS)).map((o) => holding(o, fin2));
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
        summary("EC2NodeClass(es)", classes),
        summary(
          "instance profile(s) made by Karpenter",
          profiles.map((p) => p.id),
        ),
        ...blockers,
      ].filter(Boolean);
      // A Node whose instance is gone is removed by the cloud node lifecycle controller, not
      // Karpenter: it is named while it lasts but does not hold the step once AWS shows no instance.
      return {
        done: claims.length + instances.length + classes.length + profiles.length === 0,
        waitingFor: parts.join("; "),
      };
    },
  });
}
