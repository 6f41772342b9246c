import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../support/kube/index.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { get, startSim } from "./support/cluster.js";

/** Destroying a Terraform stage destroys what it holds, in the real stage's order (issue 13, point 4). */
const gpuPod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "gpu", namespace: "inference" },
  spec: {
    nodeSelector: { "workload-type": "gpu-inference" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
    containers: [{ name: "c", image: "x", resources: { requests: { "nvidia.com/gpu": "1" } } }],
  },
};

const lbService: KubeObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "webui-public", namespace: "ai-platform" },
  spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80, targetPort: 8080 }] },
};

const karpenterInstances = (sim: SimulatedCluster) =>
  sim.ledger.instances().filter((i) => i.createdBy === "karpenter");

function aws(sim: SimulatedCluster) {
  const config = {
    region: sim.aws.env.AWS_REGION,
    endpoint: sim.aws.url,
    credentials: {
      accessKeyId: sim.aws.env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: sim.aws.env.AWS_SECRET_ACCESS_KEY ?? "",
    },
  };
  return { ec2: new EC2Client(config), elb: new ElasticLoadBalancingV2Client(config) };
}

describe("destroying a Terraform stage", () => {
  it("deletes the NodePools first, so Karpenter terminates its instances; then the API server refuses connections", async () => {
    const sim = await startSim();
    sim.kube.store.create(gpuPod);
    await sim.settle();
    expect(karpenterInstances(sim)).toHaveLength(1);
    await sim.terraform.destroy("30.eks/35.addons");
    await sim.terraform.destroy("30.eks/30.cluster");
    await sim.settle();
    expect(karpenterInstances(sim)).toEqual([]);
    expect(get(sim, "karpenter.sh/v1", "NodePool", "gpu-inference")).toBeUndefined();
    await expect(fetch(`${sim.kube.url}/version`)).rejects.toMatchObject({
      cause: expect.objectContaining({ code: "ECONNREFUSED" }),
    });
    // A new cluster answers on the same address again.
    sim.terraform.apply("30.eks/30.cluster");
    expect((await fetch(`${sim.kube.url}/version`)).status).toBe(200);
  });

  it("cannot plan, apply or destroy the addons stage once the cluster stage is gone", async () => {
    const sim = await startSim();
    await sim.terraform.destroy("30.eks/30.cluster");
    await expect(sim.terraform.destroy("30.eks/35.addons")).rejects.toThrow(
      /Unsupported attribute.*This object does not have an attribute named "cluster_name"/,
    );
    expect(() => sim.terraform.apply("30.eks/35.addons")).not.toThrow(); // already applied: nothing to do
    expect(sim.terraform.applied()).toContain("30.eks/35.addons");
  });

  it("waits for the EC2NodeClasses while Karpenter is stopped, then fails; with Karpenter back it completes", async () => {
    const sim = await startSim();
    sim.kube.store.create(gpuPod);
    await sim.settle();
    await fetch(`${sim.control.url}/controllers/karpenter/stop`, { method: "POST" });
    await expect(sim.terraform.destroy("30.eks/30.cluster")).rejects.toThrow(
      /timed out after 20m waiting for (NodePool|EC2NodeClass)/,
    );
    expect(sim.terraform.applied()).toContain("30.eks/30.cluster");
    expect(karpenterInstances(sim)).toHaveLength(1);
    await fetch(`${sim.control.url}/controllers/karpenter/start`, { method: "POST" });
    await sim.terraform.destroy("30.eks/30.cluster");
    await sim.settle();
    expect(karpenterInstances(sim)).toEqual([]);
    expect(sim.terraform.applied()).not.toContain("30.eks/30.cluster");
  });

  it("fails on the network with DependencyViolation after retrying, having destroyed part of it, and resumes once the leftovers are deleted", async () => {
    const sim = await startSim();
    sim.kube.store.create(lbService);
    await sim.settle();
    // Wrong order: the load balancer controller goes before the Service, so the load balancer leaks.
    await sim.terraform.destroy("30.eks/35.addons");
    await sim.terraform.destroy("30.eks/30.cluster");
    await sim.terraform.destroy("20.iam-roles-for-eks");
    await expect(sim.terraform.destroy("10.networking")).rejects.toThrow(
      /deleting EC2 Subnet \(subnet-[0-9a-f]+\): operation error EC2: DeleteSubnet, .*api error DependencyViolation: The subnet 'subnet-[0-9a-f]+' has dependencies and cannot be deleted\./,
    );
    // Part of the stage is gone (the NAT gateway and its address no longer bill), the rest remains.
    expect(sim.ledger.running().filter((r) => r.kind === "nat-gateway" || r.kind === "elastic-ip")).toEqual(
      [],
    );
    expect(sim.terraform.applied()).toEqual(["10.networking"]);
    expect(sim.ledger.running().filter((r) => r.kind === "vpc")).toHaveLength(1);

    // Clean up through the AWS API, as a user (or aiplat destroy --sweep) would.
    const { ec2, elb } = aws(sim);
    const [lb] = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
    for (const tg of (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [])
      await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    await sim.settle(); // the load balancer's ENIs are released minutes later
    // The controller's security groups still keep the VPC.
    await expect(sim.terraform.destroy("10.networking")).rejects.toThrow(
      /deleting EC2 VPC \(vpc-[0-9a-f]+\): .*DependencyViolation: The vpc 'vpc-[0-9a-f]+' has dependencies/,
    );
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    for (const g of groups.filter((g) => g.GroupName !== "default"))
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId }));
    await sim.terraform.destroy("10.networking");
    expect(sim.terraform.applied()).toEqual([]);
    expect(sim.ledger.running().filter((r) => r.kind !== "volume")).toEqual([]);
  });
});
