/**
 * When the controller that owns a finalizer is gone (the LB controller's add-on removed, Karpenter
 * stopped), its objects stay Terminating forever. aiplat never strips such a finalizer blindly:
 * only after AWS shows the resource behind it is gone — the load balancer tagged with the
 * Service's stack, the instance behind the NodeClaim or Node — and it says so.
 */
import type { KubeObject } from "../../adapters/kube/objects.js";
import type { Leftover } from "../../core/destroy/leftovers.js";
import { isLoadBalancerService } from "./facts.js";
import { INGRESS, type KindRef, NODE, NODE_CLAIM, NODE_CLASS, ref, SERVICE } from "./kinds.js";
import type { StepRun } from "./step-context.js";

const LB_FINALIZERS = ["service.k8s.aws/resources", "ingress.k8s.aws/resources", "elbv2.k8s.aws/resources"];
const KARPENTER_FINALIZER = "karpenter.sh/termination";
const NODE_CLASS_FINALIZER = "karpenter.k8s.aws/termination";

async function list(run: StepRun, kind: KindRef): Promise<KubeObject[]> {
  try {
    return (await run.cluster?.objects.list(kind.apiVersion, kind.kind)) ?? [];
  } catch {
    return [];
  }
}

async function release(run: StepRun, kind: KindRef, o: KubeObject, finalizer: string, evidence: string) {
  const rest = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  await run.cluster?.objects.mergePatch(
    kind.apiVersion,
    kind.kind,
    o.metadata.name ?? "",
    o.metadata.namespace,
    {
      metadata: { finalizers: rest },
    },
  );
  run.ctx.io.warn(`Removed finalizer ${finalizer} from ${kind.kind} ${ref(o)}: ${evidence}.`);
  run.deleted(`finalizer ${finalizer} of ${kind.kind} ${ref(o)} released (${evidence})`);
}

/** LB Services/Ingresses stuck Terminating whose load balancer AWS no longer has. */
export async function releaseLoadBalancerFinalizers(
  run: StepRun,
  cloud: readonly Leftover[],
): Promise<number> {
  let released = 0;
  const lbStacks = new Set(
    cloud
      .filter((l) => l.kind === "load-balancer")
      .flatMap((l) => [l.tags["service.k8s.aws/stack"], l.tags["ingress.k8s.aws/stack"]])
      .filter(Boolean),
  );
  const objects: [KindRef, KubeObject][] = [
    ...(await list(run, SERVICE))
      .filter(isLoadBalancerService)
      .map((o) => [SERVICE, o] as [KindRef, KubeObject]),
    ...(await list(run, INGRESS)).map((o) => [INGRESS, o] as [KindRef, KubeObject]),
  ];
  for (const [kind, o] of objects) {
    if (!o.metadata.deletionTimestamp || lbStacks.has(ref(o))) continue;
    for (const f of (o.metadata.finalizers ?? []).filter((x) => LB_FINALIZERS.includes(x))) {
      await release(
        run,
        kind,
        o,
        f,
        "AWS shows no load balancer for it any more (checked with DescribeLoadBalancers)",
      );
      released += 1;
    }
  }
  return released;
}

/** NodeClaims and Nodes stuck Terminating whose EC2 instance is gone (or terminating). */
export async function releaseKarpenterFinalizers(run: StepRun, cloud: readonly Leftover[]): Promise<number> {
  let released = 0;
  const live = cloud.filter(
    (l) => l.kind === "instance" && l.state !== "terminated" && l.state !== "shutting-down",
  );
  const liveIds = new Set(live.map((l) => l.id));
  const liveClaims = new Set(live.map((l) => l.tags["karpenter.sh/nodeclaim"]).filter(Boolean));
  const instanceOf = (o: KubeObject) =>
    (
      (o.spec as { providerID?: string } | undefined)?.providerID ??
      (o.status as { providerID?: string } | undefined)?.providerID ??
      ""
    )
      .split("/")
      .pop() ?? "";
  for (const kind of [NODE_CLAIM, NODE]) {
    for (const o of await list(run, kind)) {
      if (!o.metadata.deletionTimestamp || !(o.metadata.finalizers ?? []).includes(KARPENTER_FINALIZER))
        continue;
      const id = instanceOf(o);
      const claim =
        kind === NODE_CLAIM ? (o.metadata.name ?? "") : (o.metadata.labels?.["karpenter.sh/nodeclaim"] ?? "");
      if ((id && liveIds.has(id)) || (claim && liveClaims.has(claim))) continue;
      await release(
        run,
        kind,
        o,
        KARPENTER_FINALIZER,
        `its EC2 instance${id ? ` ${id}` : ""} is gone (checked with DescribeInstances)`,
      );
      released += 1;
    }
  }
  // EC2NodeClasses: their finalizer stands for the instance profile Karpenter made.
  const profiles = new Set(cloud.filter((l) => l.kind === "instance-profile").map((l) => l.id));
  for (const nc of await list(run, NODE_CLASS)) {
    if (!nc.metadata.deletionTimestamp || !(nc.metadata.finalizers ?? []).includes(NODE_CLASS_FINALIZER))
      continue;
    const profile = (nc.status as { instanceProfile?: string } | undefined)?.instanceProfile;
    if (profile && profiles.has(profile)) continue;
    await release(
      run,
      NODE_CLASS,
      nc,
      NODE_CLASS_FINALIZER,
      `its instance profile${profile ? ` ${profile}` : ""} is gone (checked with ListInstanceProfiles)`,
    );
    released += 1;
  }
  return released;
}
