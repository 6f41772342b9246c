import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeCapabilityCommand,
  DescribeClusterCommand,
  EKSClient,
  ListCapabilitiesCommand,
  ListClustersCommand,
} from "@aws-sdk/client-eks";
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  DeleteInstanceProfileCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  ListRolesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAwsClientFactory } from "../../src/adapters/aws/clients.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { startSim, withoutGracePeriod } from "./support/cluster.js";

/**
 * The AWS face's contract: every operation a teardown and a status need, driven through the
 * unmodified SDK v3 clients that find the face through the SDK's own AWS_ENDPOINT_URL setting.
 */
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Points the SDK at the simulated account the way a user's shell would. */
function useAccount(sim: SimulatedCluster): void {
  for (const [k, v] of Object.entries(sim.aws.env)) vi.stubEnv(k, v);
}

const region = "us-east-1";
const clients = () => ({
  ec2: new EC2Client({ region }),
  elb: new ElasticLoadBalancingV2Client({ region }),
  eks: new EKSClient({ region }),
  iam: new IAMClient({ region }),
  logs: new CloudWatchLogsClient({ region }),
  sts: new STSClient({ region }),
});

/** The error an SDK call fails with (its name is the AWS error code). */
async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call succeeded");
}

const gpuPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "gpu", namespace: "inference" },
  spec: {
    nodeSelector: { "workload-type": "gpu-inference" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }],
    containers: [{ name: "c", image: "x", resources: { requests: { "nvidia.com/gpu": "1" } } }],
  },
};

const lbService = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "webui-public", namespace: "ai-platform" },
  spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: 80, targetPort: 8080 }] },
};

describe("the simulated account's AWS API, through the unmodified SDK", () => {
  it("answers STS and EC2 through aiplat's own client factory and the environment's settings", async () => {
    const sim = await startSim();
    useAccount(sim);
    const aws = createAwsClientFactory();
    const identity = await (await aws.sts()).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe("123456789012");
    const ec2 = await aws.ec2(region);
    const system = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag:eks:nodegroup-name", Values: ["system"] },
          { Name: "instance-state-name", Values: ["running", "pending"] },
        ],
      }),
    );
    const ids = system.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(ids?.sort()).toEqual(
      sim.ledger
        .instances()
        .map((i) => i.id)
        .sort(),
    );
    // A service-specific endpoint setting wins over the general one (SDK "service-specific endpoints").
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    vi.stubEnv("AWS_ENDPOINT_URL_EC2", sim.aws.url);
    const again = await new EC2Client({ region }).send(new DescribeInstancesCommand({}));
    expect(again.Reservations).toHaveLength(2);
  });

  it("terminates an instance over simulated minutes, and the cluster loses its node", async () => {
    // Two simulated hours of shutting down (2.4 s real): room to look at the middle state.
    const sim = await startSim({ delays: { instanceShutdownMinutes: 120 } });
    // Without the platform's 1h terminationGracePeriod the lost node's drain does not hold
    // settle() past the hour EC2 keeps showing a terminated instance.
    withoutGracePeriod(sim);
    useAccount(sim);
    const { ec2 } = clients();
    sim.kube.store.create(gpuPod);
    await sim.settle();
    const [gpu] = sim.ledger.instances().filter((i) => i.createdBy === "karpenter");
    const found = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "tag:karpenter.sh/nodepool", Values: ["gpu-*"] }] }),
    );
    const instance = found.Reservations?.[0]?.Instances?.[0];
    expect(instance?.InstanceId).toBe(gpu?.id);
    expect(instance?.Tags).toContainEqual({ Key: "karpenter.sh/nodepool", Value: "gpu-inference" });
    expect(instance?.State?.Name).toBe("running");

    // Its ENI and root volume are in use while it exists.
    const enis = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "attachment.instance-id", Values: [gpu?.id ?? ""] }],
      }),
    );
    const eni = enis.NetworkInterfaces?.[0];
    expect(eni?.Status).toBe("in-use");
    expect(
      await failure(
        ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni?.NetworkInterfaceId })),
      ),
    ).toMatchObject({ name: "InvalidNetworkInterface.InUse" });
    const volumes = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [gpu?.id ?? ""] }] }),
    );
    expect(volumes.Volumes?.[0]?.Size).toBe(300);
    expect(
      await failure(ec2.send(new DeleteVolumeCommand({ VolumeId: volumes.Volumes?.[0]?.VolumeId }))),
    ).toMatchObject({
      name: "VolumeInUse",
    });
    // The node security group cannot go while the instance's ENI uses it.
    const nodeSg = (
      await ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: "tag-key", Values: ["karpenter.sh/discovery"] }],
        }),
      )
    ).SecurityGroups?.[0];
    expect(
      await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: nodeSg?.GroupId }))),
    ).toMatchObject({
      name: "DependencyViolation",
      message: `resource ${nodeSg?.GroupId} has a dependent object`,
    });

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [gpu?.id ?? ""] }));
    expect(terminated.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Code: 16, Name: "running" },
      CurrentState: { Code: 32, Name: "shutting-down" },
    });
    const shuttingDown = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [gpu?.id ?? ""] }));
    expect(shuttingDown.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe("shutting-down");
    expect(sim.ledger.hourlyCost()).toBeLessThan(2); // no longer billed while shutting down
    expect(sim.ledger.enis().some((e) => e.attachedTo === gpu?.id)).toBe(true); // but still holding its ENI

    await sim.settle();
    const after = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [gpu?.id ?? ""] }));
    expect(after.Reservations?.[0]?.Instances?.[0]?.State).toEqual({ Code: 48, Name: "terminated" });
    expect(sim.ledger.enis().some((e) => e.attachedTo === gpu?.id)).toBe(false);
    const nodes = sim.kube.store.list({ apiVersion: "v1", kind: "Node" });
    expect(nodes.some((n) => (n.spec as { providerID?: string }).providerID?.endsWith(gpu?.id ?? "-"))).toBe(
      false,
    );
    expect(
      await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0000000000000dead"] }))),
    ).toMatchObject({
      name: "InvalidInstanceID.NotFound",
      message: "The instance ID 'i-0000000000000dead' does not exist",
    });
  });

  it("deletes a load balancer whose ENIs linger for minutes, leaving the controller's groups behind", async () => {
    const sim = await startSim({ delays: { lbEniReleaseMinutes: 120 } });
    useAccount(sim);
    const { ec2, elb } = clients();
    sim.kube.store.create(lbService);
    await sim.settle();
    const { LoadBalancers: lbs = [] } = await elb.send(new DescribeLoadBalancersCommand({}));
    expect(lbs).toHaveLength(1);
    const arn = lbs[0]?.LoadBalancerArn ?? "";
    expect(arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/net\/k8s-/);
    expect(lbs[0]?.SecurityGroups).toHaveLength(2);
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    expect(tags.TagDescriptions?.[0]?.Tags).toContainEqual({
      Key: "service.k8s.aws/stack",
      Value: "ai-platform/webui-public",
    });
    const { TargetGroups: tgs = [] } = await elb.send(
      new DescribeTargetGroupsCommand({ LoadBalancerArn: arn }),
    );
    expect(tgs).toHaveLength(1);
    expect(tgs[0]?.LoadBalancerArns).toEqual([arn]);
    expect(
      await failure(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgs[0]?.TargetGroupArn }))),
    ).toMatchObject({
      name: "ResourceInUseException", // wire code ResourceInUse (the SDK models it so)
    });
    const [frontend, backend] = lbs[0]?.SecurityGroups ?? [];
    expect(await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: frontend })))).toMatchObject({
      name: "DependencyViolation",
    });

    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual([]);
    expect(
      await failure(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))),
    ).toMatchObject({
      name: "LoadBalancerNotFoundException",
    });
    // Its ENIs linger, still in use and not deletable, and keep the security groups in use.
    const lingering = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "description", Values: ["ELB net/*"] }] }),
    );
    expect(lingering.NetworkInterfaces).toHaveLength(2);
    expect(lingering.NetworkInterfaces?.[0]).toMatchObject({
      Status: "in-use",
      RequesterManaged: true,
      InterfaceType: "network_load_balancer",
    });
    expect(
      await failure(
        ec2.send(
          new DeleteNetworkInterfaceCommand({
            NetworkInterfaceId: lingering.NetworkInterfaces?.[0]?.NetworkInterfaceId,
          }),
        ),
      ),
    ).toMatchObject({ name: "InvalidNetworkInterface.InUse" });
    expect(await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: frontend })))).toMatchObject({
      name: "DependencyViolation",
    });
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgs[0]?.TargetGroupArn }));
    expect((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups).toEqual([]);

    await sim.settle();
    expect(
      (
        await ec2.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "description", Values: ["ELB net/*"] }] }),
        )
      ).NetworkInterfaces,
    ).toEqual([]);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: frontend }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: backend }));
    const left = await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(left.SecurityGroups?.map((g) => g.GroupId)).not.toContain(frontend);
    expect(await failure(ec2.send(new DeleteSecurityGroupCommand({ GroupId: frontend })))).toMatchObject({
      name: "InvalidGroup.NotFound",
    });
  });

  it("shows the network's NAT gateway and its Elastic IP, and a PVC's volume once it is free", async () => {
    const sim = await startSim();
    useAccount(sim);
    const { ec2 } = clients();
    const nats = await ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: "state", Values: ["available"] }] }),
    );
    expect(nats.NatGateways).toHaveLength(1);
    const address = nats.NatGateways?.[0]?.NatGatewayAddresses?.[0];
    const eips = await ec2.send(new DescribeAddressesCommand({}));
    expect(eips.Addresses?.map((a) => a.AllocationId)).toEqual([address?.AllocationId]);
    expect(eips.Addresses?.[0]).toMatchObject({ Domain: "vpc", PublicIp: address?.PublicIp });

    sim.kube.store.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "ai-platform" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
    });
    await sim.settle();
    const pvcVolumes = await ec2.send(
      new DescribeVolumesCommand({
        Filters: [{ Name: "tag:kubernetes.io/created-for/pvc/name", Values: ["data"] }],
      }),
    );
    expect(pvcVolumes.Volumes?.[0]).toMatchObject({ Size: 20, VolumeType: "gp3" });
    await ec2.send(new DeleteVolumeCommand({ VolumeId: pvcVolumes.Volumes?.[0]?.VolumeId }));
    expect(sim.ledger.volumes().some((v) => v.id === pvcVolumes.Volumes?.[0]?.VolumeId)).toBe(false);
    expect(
      await failure(ec2.send(new DeleteVolumeCommand({ VolumeId: "vol-0000000000dead" }))),
    ).toMatchObject({
      name: "InvalidVolume.NotFound",
    });
  });

  it("describes the cluster and its capabilities, IAM instance profiles and the EKS log group", async () => {
    const sim = await startSim();
    useAccount(sim);
    const { eks, iam, logs } = clients();
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: "aiplat-dev" }));
    expect(cluster).toMatchObject({ name: "aiplat-dev", status: "ACTIVE", endpoint: sim.kube.url });
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    const caps = await eks.send(new ListCapabilitiesCommand({ clusterName: "aiplat-dev" }));
    expect(caps.capabilities?.map((c) => [c.capabilityName, c.type, c.status])).toEqual([
      ["argocd", "ARGOCD", "ACTIVE"],
      ["kro", "KRO", "ACTIVE"],
      ["ack", "ACK", "ACTIVE"],
    ]);
    const argocd = await eks.send(
      new DescribeCapabilityCommand({ clusterName: "aiplat-dev", capabilityName: "argocd" }),
    );
    expect(argocd.capability).toMatchObject({
      capabilityName: "argocd",
      type: "ARGOCD",
      clusterName: "aiplat-dev",
    });
    expect(await failure(eks.send(new DescribeClusterCommand({ name: "other" })))).toMatchObject({
      name: "ResourceNotFoundException",
      message: "No cluster found for name: other.",
      status: 404,
    });

    // Karpenter made one per EC2NodeClass for the node role; this one is the test's own.
    sim.ledger.createInstanceProfile("test-role", { "karpenter.k8s.aws/cluster": "aiplat-dev" });
    const { InstanceProfiles: profiles = [] } = await iam.send(new ListInstanceProfilesCommand({}));
    expect(profiles.filter((p) => p.InstanceProfileName?.startsWith("aiplat-dev_")).length).toBeGreaterThan(
      1,
    );
    const profile = profiles.find((p) => p.Roles?.[0]?.RoleName === "test-role");
    expect(profile?.InstanceProfileName).toMatch(/^aiplat-dev_\d+$/);
    const name = profile?.InstanceProfileName ?? "";
    expect(
      await failure(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }))),
    ).toMatchObject({
      name: "DeleteConflictException",
      message: "Cannot delete entity, must remove roles from instance profile first.",
    });
    await iam.send(
      new RemoveRoleFromInstanceProfileCommand({
        InstanceProfileName: name,
        RoleName: "test-role",
      }),
    );
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }));
    const left = (await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles ?? [];
    expect(left.map((p) => p.InstanceProfileName)).not.toContain(name);
    expect(left).toHaveLength(profiles.length - 1);
    expect(
      await failure(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }))),
    ).toMatchObject({
      name: "NoSuchEntityException",
      status: 404,
    });

    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/eks/" }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(["/aws/eks/aiplat-dev/cluster"]);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: "/aws/eks/aiplat-dev/cluster" }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    expect(
      await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: "/aws/eks/aiplat-dev/cluster" }))),
    ).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
  });

  it("answers calls it does not implement with each protocol's unknown-operation error", async () => {
    const sim = await startSim();
    useAccount(sim);
    const c = clients();
    expect(await failure(c.ec2.send(new DescribeVpcsCommand({})))).toMatchObject({
      name: "InvalidAction",
      message: "The action DescribeVpcs is not valid for this web service.",
    });
    expect(await failure(c.elb.send(new DescribeListenersCommand({ LoadBalancerArn: "x" })))).toMatchObject({
      name: "InvalidAction",
    });
    expect(await failure(c.iam.send(new ListRolesCommand({})))).toMatchObject({ name: "InvalidAction" });
    expect(
      await failure(c.sts.send(new AssumeRoleCommand({ RoleArn: "a", RoleSessionName: "b" }))),
    ).toMatchObject({
      name: "InvalidAction",
      message: "Could not find operation AssumeRole for version 2011-06-15",
    });
    expect(await failure(c.eks.send(new ListClustersCommand({})))).toMatchObject({
      name: "UnknownOperationException",
    });
    expect(await failure(c.logs.send(new CreateLogGroupCommand({ logGroupName: "x" })))).toMatchObject({
      name: "UnknownOperationException",
    });
  });

  it("refuses credentials it does not know, and shows nothing in another region", async () => {
    const sim = await startSim();
    useAccount(sim);
    const wrong = { accessKeyId: "AKIAWRONGWRONGWRONG1", secretAccessKey: "x" };
    expect(
      await failure(new EC2Client({ region, credentials: wrong }).send(new DescribeInstancesCommand({}))),
    ).toMatchObject({
      name: "AuthFailure",
      status: 401,
    });
    expect(
      await failure(new STSClient({ region, credentials: wrong }).send(new GetCallerIdentityCommand({}))),
    ).toMatchObject({
      name: "InvalidClientTokenId",
      status: 403,
    });
    const elsewhere = await new EC2Client({ region: "eu-west-1" }).send(new DescribeInstancesCommand({}));
    expect(elsewhere.Reservations).toEqual([]);
  });
});
