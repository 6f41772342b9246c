import { DescribeInstancesCommand, EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gpuWorkload } from "../support/gpu-workload.js";
import type { KubeObject } from "../support/kube/index.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { condition, events, get, list, startSim, withoutGracePeriod } from "./support/cluster.js";

const NODECLAIM = { apiVersion: "karpenter.sh/v1", kind: "NodeClaim" };
const claims = (sim: SimulatedCluster) => list(sim, NODECLAIM.apiVersion, NODECLAIM.kind);
const nodes = (sim: SimulatedCluster) =>
  list(sim, "v1", "Node", { labelSelector: "karpenter.sh/nodepool=gpu-inference" });
const instances = (sim: SimulatedCluster) =>
  sim.ledger.instances().filter((i) => i.createdBy === "karpenter");
const pods = (sim: SimulatedCluster, app: string) =>
  list(sim, "v1", "Pod", { namespace: "inference", labelSelector: `app=${app}` });

/** One GPU node running the workload's pod; returns the claim and node names. */
async function nodeWith(
  sim: SimulatedCluster,
  workload: KubeObject,
): Promise<{ claim: string; node: string }> {
  sim.kube.store.create(workload);
  await sim.settle();
  // The node the workload's pod runs on, and its claim (other GPU nodes may exist).
  const app = (workload.spec as { selector: { matchLabels: { app: string } } }).selector.matchLabels.app;
  const nodeName = (pods(sim, app)[0]?.spec as { nodeName?: string } | undefined)?.nodeName;
  const node = nodes(sim).find((n) => n.metadata?.name === nodeName);
  const claim = claims(sim).find(
    (c) => c.metadata?.name === node?.metadata?.labels?.["karpenter.sh/nodeclaim"],
  );
  expect(node?.metadata?.finalizers).toEqual(["karpenter.sh/termination"]);
  return { claim: claim?.metadata?.name ?? "", node: node?.metadata?.name ?? "" };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("simulated Karpenter: termination drains like Karpenter v1.14.1", () => {
  it("taints the node, refuses to evict past a PodDisruptionBudget, says why, and finishes once the budget allows", async () => {
    const sim = await startSim();
    withoutGracePeriod(sim);
    const { claim, node } = await nodeWith(sim, gpuWorkload("guarded"));
    sim.kube.store.create({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "guarded", namespace: "inference" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "guarded" } } },
    });
    const podBefore = pods(sim, "guarded")[0]?.metadata?.name;
    sim.kube.store.delete({ ...NODECLAIM, name: claim });
    await sim.settle();

    const drainingNode = get(sim, "v1", "Node", node);
    expect(drainingNode?.metadata?.deletionTimestamp).toBeDefined();
    expect((drainingNode?.spec as { taints?: unknown[] } | undefined)?.taints).toContainEqual({
      key: "karpenter.sh/disrupted",
      effect: "NoSchedule",
    });
    expect(drainingNode?.metadata?.labels?.["node.kubernetes.io/exclude-from-external-load-balancers"]).toBe(
      "karpenter",
    );
    const drainingClaim = get(sim, NODECLAIM.apiVersion, NODECLAIM.kind, claim);
    expect(drainingClaim?.metadata?.deletionTimestamp).toBeDefined();
    expect(condition(drainingClaim, "Drained")).toMatchObject({ status: "Unknown", reason: "Draining" });
    const why = events(sim, "default", node).map((e) => e.message);
    expect(why).toContain(`Failed to drain node, evicting pod violates a PDB (Pod=inference/${podBefore})`);
    expect(why).toContain("Failed to drain node, 1 pods are waiting to be evicted");
    expect(pods(sim, "guarded").map((p) => p.metadata?.name)).toContain(podBefore);
    expect(instances(sim).map((i) => i.tags["karpenter.sh/nodeclaim"])).toContain(claim);

    sim.kube.store.delete({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      name: "guarded",
      namespace: "inference",
    });
    await sim.settle();
    expect(get(sim, "v1", "Node", node)).toBeUndefined();
    expect(get(sim, NODECLAIM.apiVersion, NODECLAIM.kind, claim)).toBeUndefined();
    expect(instances(sim).map((i) => i.tags["karpenter.sh/nodeclaim"])).not.toContain(claim);
    const evicted = events(sim, "inference", podBefore).map((e) => e.message);
    expect(evicted).toContain("Evicted pod: Forceful Termination");
  });

  it("never evicts a do-not-disrupt pod: without terminationGracePeriod the node stays Terminating", async () => {
    const sim = await startSim();
    withoutGracePeriod(sim);
    const { claim, node } = await nodeWith(
      sim,
      gpuWorkload("pinned", { "karpenter.sh/do-not-disrupt": "true" }),
    );
    sim.kube.store.delete({ ...NODECLAIM, name: claim });
    await sim.settle();
    expect(get(sim, "v1", "Node", node)?.metadata?.deletionTimestamp).toBeDefined();
    expect(pods(sim, "pinned").filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(1);
    expect(instances(sim)).toHaveLength(1);
  });

  it("does not drain a node whose instance is already terminated in EC2: the finalizer goes, the pods with it", async () => {
    const sim = await startSim();
    withoutGracePeriod(sim);
    const { claim, node } = await nodeWith(
      sim,
      gpuWorkload("pinned", { "karpenter.sh/do-not-disrupt": "true" }),
    );
    const spec = get(sim, "v1", "Node", node)?.spec as { providerID?: string } | undefined;
    const id = (spec?.providerID ?? "").split("/").pop();
    // Someone terminates the instance behind Karpenter's back (the console, a script).
    for (const [k, v] of Object.entries(sim.aws.env)) vi.stubEnv(k, v);
    const ec2 = new EC2Client({ region: "us-east-1" });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id ?? ""] }));
    await sim.settle();
    const state = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id ?? ""] })))
      .Reservations?.[0]?.Instances?.[0]?.State?.Name;
    expect(state).toBe("terminated");
    // A do-not-disrupt pod would hold a drain forever; with the instance gone there is no drain.
    expect(get(sim, "v1", "Node", node)).toBeUndefined();
    expect(get(sim, NODECLAIM.apiVersion, NODECLAIM.kind, claim)).toBeUndefined();
    expect(pods(sim, "pinned").filter((p) => (p.spec as { nodeName?: string }).nodeName === node)).toEqual(
      [],
    );
    expect(events(sim, "default", node).map((e) => e.reason)).not.toContain("FailedDraining");
  });

  it("deletes a do-not-disrupt pod when the NodePool's terminationGracePeriod runs out, then terminates", async () => {
    const sim = await startSim();
    sim.kube.store.patch(
      { apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" },
      { spec: { template: { spec: { terminationGracePeriod: "10m" } } } },
    );
    const { claim, node } = await nodeWith(
      sim,
      gpuWorkload("pinned", { "karpenter.sh/do-not-disrupt": "true" }),
    );
    const pod = pods(sim, "pinned")[0]?.metadata?.name;
    sim.kube.store.delete({ ...NODECLAIM, name: claim });
    await sim.settle();
    expect(get(sim, "v1", "Node", node)).toBeUndefined();
    expect(get(sim, NODECLAIM.apiVersion, NODECLAIM.kind, claim)).toBeUndefined();
    expect(instances(sim).map((i) => i.tags["karpenter.sh/nodeclaim"])).not.toContain(claim);
    const claimEvents = events(sim, "default", claim).map((e) => e.reason);
    expect(claimEvents).toContain("TerminationGracePeriodExpiring");
    const podEvents = events(sim, "inference", pod).filter((e) => e.reason === "Disrupted");
    expect(podEvents[0]?.message).toContain(
      "This bypasses the PDB of the pod and the do-not-disrupt annotation.",
    );
  });

  it("leaves Node and NodeClaim Terminating with their finalizers while Karpenter is stopped", async () => {
    const sim = await startSim();
    const { claim, node } = await nodeWith(sim, gpuWorkload("w"));
    sim.karpenter.stop();
    sim.kube.store.delete({ ...NODECLAIM, name: claim });
    sim.kube.store.delete({ apiVersion: "v1", kind: "Node", name: node });
    await sim.settle();
    for (const obj of [get(sim, "v1", "Node", node), get(sim, NODECLAIM.apiVersion, NODECLAIM.kind, claim)]) {
      expect(obj?.metadata?.deletionTimestamp).toBeDefined();
      expect(obj?.metadata?.finalizers).toEqual(["karpenter.sh/termination"]);
    }
    expect(instances(sim)).toHaveLength(1);
  });

  it("holds an EC2NodeClass with karpenter.k8s.aws/termination until its NodeClaims are gone, then removes its instance profile", async () => {
    const sim = await startSim();
    await sim.settle();
    const nodeClass = get(sim, "karpenter.k8s.aws/v1", "EC2NodeClass", "gpu-inference");
    expect(nodeClass?.metadata?.finalizers).toContain("karpenter.k8s.aws/termination");
    const profileName = (nodeClass?.status as { instanceProfile?: string } | undefined)?.instanceProfile;
    expect(profileName).toMatch(/^aiplat-dev_\d+$/);
    const profiles = () =>
      sim.ledger
        .running()
        .filter((r) => r.kind === "instance-profile" && r.createdBy === "karpenter")
        .map((r) => r.name);
    expect(profiles()).toContain(profileName);

    const { claim } = await nodeWith(sim, gpuWorkload("w"));
    sim.kube.store.delete({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      name: "gpu-inference",
    });
    await sim.settle();
    expect(
      get(sim, "karpenter.k8s.aws/v1", "EC2NodeClass", "gpu-inference")?.metadata?.deletionTimestamp,
    ).toBeDefined();
    const waiting = events(sim, "default", "gpu-inference").filter(
      (e) => e.reason === "WaitingOnNodeClaimTermination",
    );
    expect(waiting[0]?.message).toBe(`Waiting on NodeClaim termination for ${claim}`);
    expect(profiles()).toContain(profileName);

    sim.kube.store.delete({ apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" });
    await sim.settle();
    expect(get(sim, "karpenter.k8s.aws/v1", "EC2NodeClass", "gpu-inference")).toBeUndefined();
    expect(profiles()).not.toContain(profileName);
  });

  it("does not consolidate an empty node while the NodePool's disruption budget allows no disruption", async () => {
    const sim = await startSim();
    sim.kube.store.patch(
      { apiVersion: "karpenter.sh/v1", kind: "NodePool", name: "gpu-inference" },
      { spec: { disruption: { budgets: [{ nodes: "0" }] } } },
    );
    const { node } = await nodeWith(sim, gpuWorkload("w"));
    sim.kube.store.delete({ apiVersion: "apps/v1", kind: "Deployment", name: "w", namespace: "inference" });
    await sim.settle();
    expect(get(sim, "v1", "Node", node)?.metadata?.deletionTimestamp).toBeUndefined();
    expect(instances(sim)).toHaveLength(1);
    const blocked = events(sim, "default", "gpu-inference").filter((e) => e.reason === "DisruptionBlocked");
    expect(blocked[0]?.message).toBe(
      "No allowed disruptions for disruption reason Empty due to blocking budget",
    );
  });
});
