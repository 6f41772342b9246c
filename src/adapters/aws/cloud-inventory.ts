/**
 * Lists what the AWS account holds for one cluster, through the describe APIs only (no writes):
 * resources tagged `aiplat:cluster=<name>` (every Terraform stage's default_tags), tagged
 * `kubernetes.io/cluster/<name>` (Karpenter, the EBS CSI driver, EKS) or
 * `elbv2.k8s.aws/cluster=<name>` (the AWS Load Balancer Controller), every ENI in the cluster's VPC,
 * and instance profiles / log groups named after the cluster; on request, the state bucket's KMS key
 * by aiplat's alias (a key pending deletion is not billed, so it does not count). A service that cannot be read is
 * reported by name, never treated as empty.
 */
import type { Filter } from "@aws-sdk/client-ec2";
import type { Tag as ElbTag } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { CloudItem, LeftoverKind } from "../../core/destroy/leftovers.js";
import type { AwsClientFactory } from "./clients.js";
import { iamClient, logsClient } from "./extra-clients.js";
import { STATE_KEY_ALIAS } from "./state-key.js";
import { describeStateKey } from "./state-key-retirement.js";

export interface CloudScanTarget {
  clusterName: string;
  region: string;
  vpcId?: string | undefined;
  /** Only these kinds (a step's evidence); all of them when unset. */
  kinds?: readonly LeftoverKind[] | undefined;
  /**
   * Also look for the state bucket's KMS key (alias/aiplat-tfstate): only once the bucket is meant
   * to be gone, as the key is in use while the bucket stays (--keep-backend, --keep-infra).
   */
  stateKey?: boolean | undefined;
}

export interface CloudScan {
  items: CloudItem[];
  /** Kinds that could not be listed, with the API's message. */
  errors: { kind: LeftoverKind; message: string }[];
}

type Tagged = { Key?: string | undefined; Value?: string | undefined }[] | undefined;

const tagMap = (tags: Tagged): Record<string, string> =>
  Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key as string, t.Value ?? ""]));

/** The tag filters EC2 ORs by running one describe per filter set (EC2 ANDs filters in one call). */
function clusterFilters(target: CloudScanTarget): Filter[][] {
  return [
    [{ Name: "tag:aiplat:cluster", Values: [target.clusterName] }],
    [{ Name: "tag-key", Values: [`kubernetes.io/cluster/${target.clusterName}`] }],
    [{ Name: "tag:elbv2.k8s.aws/cluster", Values: [target.clusterName] }],
  ];
}

export async function scanCloud(aws: AwsClientFactory, target: CloudScanTarget): Promise<CloudScan> {
  const scan: CloudScan = { items: [], errors: [] };
  const seen = new Set<string>();
  const add = (item: CloudItem) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    scan.items.push(item);
  };
  const guard = async (kind: LeftoverKind, run: () => Promise<void>) => {
    if (target.kinds && !target.kinds.includes(kind)) return;
    try {
      await run();
    } catch (error) {
      scan.errors.push({ kind, message: (error as Error).message });
    }
  };
  const ec2mod = await import("@aws-sdk/client-ec2");
  const ec2 = await aws.ec2(target.region);
  const filterSets = clusterFilters(target);

  await guard("instance", async () => {
    for (const filters of filterSets) {
      const states = {
        Name: "instance-state-name",
        Values: ["pending", "running", "shutting-down", "stopping", "stopped"],
      };
      for await (const page of ec2mod.paginateDescribeInstances(
        { client: ec2 },
        { Filters: [...filters, states] },
      )) {
        for (const r of page.Reservations ?? [])
          for (const i of r.Instances ?? []) {
            const tags = tagMap(i.Tags);
            add({
              kind: "instance",
              id: i.InstanceId ?? "",
              name: tags.Name,
              type: i.InstanceType,
              state: i.State?.Name,
              tags,
            });
          }
      }
    }
  });
  await guard("eni", async () => {
    const sets = target.vpcId ? [...filterSets, [{ Name: "vpc-id", Values: [target.vpcId] }]] : filterSets;
    for (const filters of sets) {
      for await (const page of ec2mod.paginateDescribeNetworkInterfaces(
        { client: ec2 },
        { Filters: filters },
      )) {
        for (const n of page.NetworkInterfaces ?? []) {
          const tags = tagMap(n.TagSet);
          add({
            kind: "eni",
            id: n.NetworkInterfaceId ?? "",
            name: n.Description || tags.Name || undefined,
            state: n.Status,
            tags,
            attachedTo: n.Attachment?.InstanceId ?? n.Description ?? undefined,
          });
        }
      }
    }
  });
  await guard("security-group", async () => {
    for (const filters of filterSets) {
      for await (const page of ec2mod.paginateDescribeSecurityGroups({ client: ec2 }, { Filters: filters })) {
        for (const g of page.SecurityGroups ?? []) {
          if (g.GroupName === "default") continue;
          add({ kind: "security-group", id: g.GroupId ?? "", name: g.GroupName, tags: tagMap(g.Tags) });
        }
      }
    }
  });
  await guard("volume", async () => {
    for (const filters of filterSets) {
      for await (const page of ec2mod.paginateDescribeVolumes({ client: ec2 }, { Filters: filters })) {
        for (const v of page.Volumes ?? []) {
          const tags = tagMap(v.Tags);
          add({
            kind: "volume",
            id: v.VolumeId ?? "",
            name: tags.Name ?? tags["kubernetes.io/created-for/pvc/name"],
            type: v.VolumeType,
            sizeGiB: v.Size,
            state: v.State,
            tags,
            attachedTo: v.Attachments?.[0]?.InstanceId,
          });
        }
      }
    }
  });
  await guard("elastic-ip", async () => {
    for (const filters of filterSets) {
      const out = await ec2.send(new ec2mod.DescribeAddressesCommand({ Filters: filters }));
      for (const a of out.Addresses ?? [])
        add({
          kind: "elastic-ip",
          id: a.AllocationId ?? a.PublicIp ?? "",
          name: a.PublicIp,
          tags: tagMap(a.Tags),
        });
    }
  });
  await guard("nat-gateway", async () => {
    for (const filters of filterSets) {
      const state = { Name: "state", Values: ["pending", "available", "deleting"] };
      for await (const page of ec2mod.paginateDescribeNatGateways(
        { client: ec2 },
        { Filter: [...filters, state] },
      )) {
        for (const n of page.NatGateways ?? [])
          add({ kind: "nat-gateway", id: n.NatGatewayId ?? "", state: n.State, tags: tagMap(n.Tags) });
      }
    }
  });
  await scanLoadBalancers(aws, target, add, guard);
  await guard("instance-profile", async () => {
    const iam = await iamClient(aws, target.region);
    const { paginateListInstanceProfiles } = await import("@aws-sdk/client-iam");
    for await (const page of paginateListInstanceProfiles({ client: iam }, {})) {
      for (const p of page.InstanceProfiles ?? []) {
        const tags = tagMap(p.Tags);
        const named = p.InstanceProfileName?.startsWith(target.clusterName) === true;
        if (
          !named &&
          tags["aiplat:cluster"] !== target.clusterName &&
          !(`kubernetes.io/cluster/${target.clusterName}` in tags)
        )
          continue;
        add({
          kind: "instance-profile",
          id: p.InstanceProfileName ?? "",
          name: p.Arn,
          tags,
          roles: (p.Roles ?? []).map((r) => r.RoleName ?? "").filter(Boolean),
        });
      }
    }
  });
  await guard("log-group", async () => {
    const logs = await logsClient(aws, target.region);
    const { paginateDescribeLogGroups } = await import("@aws-sdk/client-cloudwatch-logs");
    for (const prefix of [
      `/aws/eks/${target.clusterName}/`,
      `/aws/containerinsights/${target.clusterName}/`,
      `/aiplat/${target.clusterName}`,
    ]) {
      for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: prefix })) {
        for (const g of page.logGroups ?? [])
          add({
            kind: "log-group",
            id: g.logGroupName ?? "",
            sizeGiB: (g.storedBytes ?? 0) / 2 ** 30,
            tags: {},
          });
      }
    }
  });
  if (target.stateKey) {
    await guard("kms-key", async () => {
      const key = await describeStateKey(await aws.kms(target.region));
      if (!key || key.state === "PendingDeletion") return;
      add({
        kind: "kms-key",
        id: key.keyId,
        name: STATE_KEY_ALIAS,
        type: "customer managed, $1/month",
        state: key.state,
        tags: {},
      });
    });
  }
  return scan;
}

async function scanLoadBalancers(
  aws: AwsClientFactory,
  target: CloudScanTarget,
  add: (item: CloudItem) => void,
  guard: (kind: LeftoverKind, run: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const elb = await import("@aws-sdk/client-elastic-load-balancing-v2");
  const client = await aws.elbv2(target.region);
  const ours = (tags: Record<string, string>) =>
    tags["aiplat:cluster"] === target.clusterName ||
    tags["elbv2.k8s.aws/cluster"] === target.clusterName ||
    `kubernetes.io/cluster/${target.clusterName}` in tags;
  const tagsOf = async (arns: string[]) => {
    const out = new Map<string, Record<string, string>>();
    // DescribeTags takes at most 20 ARNs per call.
    for (let i = 0; i < arns.length; i += 20) {
      const res = await client.send(new elb.DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
      for (const d of res.TagDescriptions ?? []) out.set(d.ResourceArn ?? "", tagMap(d.Tags as ElbTag[]));
    }
    return out;
  };
  await guard("load-balancer", async () => {
    const lbs = [];
    for await (const page of elb.paginateDescribeLoadBalancers({ client }, {}))
      lbs.push(...(page.LoadBalancers ?? []));
    const tags = await tagsOf(lbs.map((l) => l.LoadBalancerArn ?? "").filter(Boolean));
    for (const l of lbs) {
      const t = tags.get(l.LoadBalancerArn ?? "") ?? {};
      if (!ours(t)) continue;
      add({
        kind: "load-balancer",
        id: l.LoadBalancerArn ?? "",
        name: l.LoadBalancerName,
        type: l.Type,
        state: l.State?.Code,
        tags: t,
      });
    }
  });
  await guard("target-group", async () => {
    const groups = [];
    for await (const page of elb.paginateDescribeTargetGroups({ client }, {}))
      groups.push(...(page.TargetGroups ?? []));
    const tags = await tagsOf(groups.map((g) => g.TargetGroupArn ?? "").filter(Boolean));
    for (const g of groups) {
      const t = tags.get(g.TargetGroupArn ?? "") ?? {};
      if (!ours(t)) continue;
      add({ kind: "target-group", id: g.TargetGroupArn ?? "", name: g.TargetGroupName, tags: t });
    }
  });
}
