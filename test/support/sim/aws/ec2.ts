import type { CloudResource } from "../cloud/ledger.js";
import { notFound, type RequestContext } from "./account.js";
import {
  AwsError,
  ec2Tags,
  el,
  type Filter,
  filterMatches,
  filterParams,
  items,
  listParam,
  type Params,
  tagFilter,
  wrap,
} from "./wire.js";

/**
 * EC2 (ec2Query protocol): the calls a teardown and a status need. Response shapes follow the EC2
 * API reference (docs.aws.amazon.com/AWSEC2/latest/APIReference); error codes and messages follow
 * its "Error codes" page. Terminated instances stay visible for about an hour, as EC2 documents
 * ("Terminate Amazon EC2 instances": the instance remains visible for a short while).
 */
type Handler = (ctx: RequestContext, params: Params) => string;

const STATE_CODES: Record<string, number> = { running: 16, "shutting-down": 32, terminated: 48 };
const TERMINATED_VISIBLE_MINUTES = 60;

function instanceState(r: CloudResource): string {
  if (r.deletedAtMinute !== undefined) return "terminated";
  return r.deletingSinceMinute !== undefined ? "shutting-down" : "running";
}

const stateXml = (name: string, state: string) =>
  wrap(name, el("code", STATE_CODES[state] ?? 0) + el("name", state));

/** Applies EC2 filters; a filter name the call does not know is refused as EC2 refuses it. */
function applyFilters(
  filters: Filter[],
  resources: CloudResource[],
  fields: Record<string, (r: CloudResource) => string | string[] | undefined>,
): CloudResource[] {
  for (const f of filters) {
    if (!f.name.startsWith("tag") && !(f.name in fields))
      throw new AwsError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
  }
  return resources.filter((r) =>
    filters.every((f) => {
      const byTag = tagFilter(f, r.tags);
      if (byTag !== undefined) return byTag;
      const actual = fields[f.name]?.(r);
      const values = Array.isArray(actual) ? actual : [actual];
      return values.some((a) => filterMatches(f.values, a));
    }),
  );
}

/** Resources named by id, or all; unknown ids fail with EC2's NotFound for that kind. */
function byIds(all: CloudResource[], ids: string[], code: string, what: string): CloudResource[] {
  if (ids.length === 0) return all;
  const missing = ids.filter((id) => !all.some((r) => r.id === id));
  if (missing.length > 0) throw notFound(code, what, missing);
  return all.filter((r) => ids.includes(r.id));
}

function eniKind(ctx: RequestContext, eni: CloudResource): { parent?: CloudResource; type: string } {
  const parent = eni.attachedTo ? ctx.ledger.find(eni.attachedTo) : undefined;
  if (parent?.kind === "load-balancer")
    return { parent, type: parent.type === "network" ? "network_load_balancer" : "interface" };
  if (parent?.kind === "nat-gateway") return { parent, type: "nat_gateway" };
  return { parent, type: "interface" };
}

function eniInUse(ctx: RequestContext, eni: CloudResource): boolean {
  const { parent } = eniKind(ctx, eni);
  // A load balancer's ENIs stay in use until AWS releases them, minutes after the load balancer.
  return parent !== undefined && (parent.kind === "load-balancer" || parent.deletedAtMinute === undefined);
}

export const lbDescription = (lb: CloudResource): string =>
  `ELB ${lb.type === "network" ? "net" : "app"}/${lb.name}/${lb.id.slice(3, 19)}`;

const groupSet = (ctx: RequestContext, ids: string[] | undefined) =>
  items(
    "groupSet",
    (ids ?? []).map((id) => el("groupId", id) + el("groupName", ctx.ledger.find(id)?.name ?? id)),
  );

function volumeSize(v: CloudResource): number {
  return Math.max(1, Math.round((v.hourlyPrice * 730) / 0.08));
}

function publicIp(id: string): string {
  const n = Number.parseInt(id.replace(/[^0-9a-f]/g, "").slice(0, 6) || "0", 16);
  return `3.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

const describeInstances: Handler = (ctx, params) => {
  const all = byIds(
    ctx.recent("instance", TERMINATED_VISIBLE_MINUTES),
    listParam(params, "InstanceId"),
    "InvalidInstanceID.NotFound",
    "instance",
  );
  const found = applyFilters(filterParams(params), all, {
    "instance-state-name": instanceState,
    "instance-id": (r) => r.id,
    "instance-type": (r) => r.type,
    "vpc-id": () => ctx.vpcId(),
  });
  const reservations = found.map((r) => {
    const state = instanceState(r);
    const instance =
      el("instanceId", r.id) +
      el("imageId", "ami-0simulated0000000") +
      stateXml("instanceState", state) +
      el("privateDnsName", state === "terminated" ? "" : `ip-${r.id.slice(2, 8)}.ec2.internal`) +
      el("instanceType", r.type) +
      el("launchTime", ctx.iso(r.launchedAtMinute)) +
      wrap("placement", el("availabilityZone", `${ctx.account.region}a`)) +
      (state === "terminated" ? "" : el("subnetId", ctx.subnetId()) + el("vpcId", ctx.vpcId())) +
      ec2Tags(r.tags);
    return (
      el("reservationId", `r-${r.id.slice(2)}`) +
      el("ownerId", ctx.account.accountId) +
      items("instancesSet", [instance])
    );
  });
  return items("reservationSet", reservations);
};

const terminateInstances: Handler = (ctx, params) => {
  const ids = listParam(params, "InstanceId");
  const targets = byIds(
    ctx.recent("instance", TERMINATED_VISIBLE_MINUTES),
    ids,
    "InvalidInstanceID.NotFound",
    "instance",
  );
  const changes = targets.map((r) => {
    const previous = instanceState(r);
    ctx.ledger.delete(r.id);
    return (
      el("instanceId", r.id) +
      stateXml("currentState", instanceState(r)) +
      stateXml("previousState", previous)
    );
  });
  return items("instancesSet", changes);
};

const describeNetworkInterfaces: Handler = (ctx, params) => {
  const all = byIds(
    ctx.live("eni"),
    listParam(params, "NetworkInterfaceId"),
    "InvalidNetworkInterfaceID.NotFound",
    "networkInterface",
  );
  const found = applyFilters(filterParams(params), all, {
    "network-interface-id": (r) => r.id,
    "vpc-id": () => ctx.vpcId(),
    status: (r) => (eniInUse(ctx, r) ? "in-use" : "available"),
    "attachment.instance-id": (r) => (eniKind(ctx, r).parent?.kind === "instance" ? r.attachedTo : undefined),
    "group-id": (r) => r.securityGroups,
    description: (r) => {
      const { parent } = eniKind(ctx, r);
      return parent?.kind === "load-balancer" ? lbDescription(parent) : "";
    },
    "interface-type": (r) => eniKind(ctx, r).type,
    "requester-managed": (r) => String(eniKind(ctx, r).parent?.kind === "load-balancer"),
  });
  return items(
    "networkInterfaceSet",
    found.map((r) => {
      const { parent, type } = eniKind(ctx, r);
      const inUse = eniInUse(ctx, r);
      const attachment =
        inUse && parent
          ? wrap(
              "attachment",
              el("attachmentId", `eni-attach-${r.id.slice(4)}`) +
                (parent.kind === "instance"
                  ? el("instanceId", parent.id) + el("instanceOwnerId", ctx.account.accountId)
                  : el("instanceOwnerId", "amazon-elb")) +
                el("status", "attached") +
                el("deleteOnTermination", r.tags["delete-on-termination"] === "true"),
            )
          : "";
      return (
        el("networkInterfaceId", r.id) +
        el("subnetId", ctx.subnetId()) +
        el("vpcId", ctx.vpcId()) +
        el("availabilityZone", `${ctx.account.region}a`) +
        el("description", parent?.kind === "load-balancer" ? lbDescription(parent) : "") +
        el("ownerId", ctx.account.accountId) +
        el("requesterManaged", parent?.kind === "load-balancer") +
        el("status", inUse ? "in-use" : "available") +
        el("interfaceType", type) +
        attachment +
        groupSet(ctx, r.securityGroups) +
        ec2Tags(Object.fromEntries(Object.entries(r.tags).filter(([k]) => k !== "delete-on-termination")))
      );
    }),
  );
};

const deleteNetworkInterface: Handler = (ctx, params) => {
  const id = params.get("NetworkInterfaceId") ?? "";
  const eni = ctx.live("eni").find((r) => r.id === id);
  if (!eni) throw notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface", [id]);
  if (eniInUse(ctx, eni))
    throw new AwsError("InvalidNetworkInterface.InUse", `Network interface '${id}' is currently in use.`);
  ctx.ledger.delete(id);
  return el("return", true);
};

const describeVolumes: Handler = (ctx, params) => {
  const all = byIds(ctx.live("volume"), listParam(params, "VolumeId"), "InvalidVolume.NotFound", "volume");
  const attachedTo = (r: CloudResource) => {
    const parent = r.attachedTo ? ctx.ledger.find(r.attachedTo) : undefined;
    return parent && parent.deletedAtMinute === undefined ? parent : undefined;
  };
  const found = applyFilters(filterParams(params), all, {
    "volume-id": (r) => r.id,
    status: (r) => (attachedTo(r) ? "in-use" : "available"),
    "attachment.instance-id": (r) => attachedTo(r)?.id,
    "volume-type": (r) => r.type,
  });
  return items(
    "volumeSet",
    found.map((r) => {
      const parent = attachedTo(r);
      const attachment = parent
        ? el("volumeId", r.id) +
          el("instanceId", parent.id) +
          el("device", r.tags["delete-on-termination"] === "true" ? "/dev/xvda" : "/dev/xvdba") +
          el("status", "attached") +
          el("deleteOnTermination", r.tags["delete-on-termination"] === "true")
        : undefined;
      return (
        el("volumeId", r.id) +
        el("size", volumeSize(r)) +
        el("availabilityZone", `${ctx.account.region}a`) +
        el("status", parent ? "in-use" : "available") +
        el("createTime", ctx.iso(r.launchedAtMinute)) +
        el("volumeType", r.type ?? "gp3") +
        items("attachmentSet", attachment ? [attachment] : []) +
        ec2Tags(Object.fromEntries(Object.entries(r.tags).filter(([k]) => k !== "delete-on-termination")))
      );
    }),
  );
};

const deleteVolume: Handler = (ctx, params) => {
  const id = params.get("VolumeId") ?? "";
  const volume = ctx.live("volume").find((r) => r.id === id);
  if (!volume) throw new AwsError("InvalidVolume.NotFound", `The volume '${id}' does not exist.`);
  const parent = volume.attachedTo ? ctx.ledger.find(volume.attachedTo) : undefined;
  if (parent && parent.deletedAtMinute === undefined)
    throw new AwsError("VolumeInUse", `Volume ${id} is currently attached to ${parent.id}`);
  ctx.ledger.delete(id);
  return el("return", true);
};

/** What holds a security group: ENIs and load balancers that use it. */
function sgDependents(ctx: RequestContext, sg: CloudResource): CloudResource[] {
  return ctx.ledger.running().filter((r) => r.securityGroups?.includes(sg.id));
}

const describeSecurityGroups: Handler = (ctx, params) => {
  let all = byIds(
    ctx.live("security-group"),
    listParam(params, "GroupId"),
    "InvalidGroup.NotFound",
    "security group",
  );
  const names = listParam(params, "GroupName");
  if (names.length > 0) all = all.filter((r) => names.includes(r.name ?? ""));
  const found = applyFilters(filterParams(params), all, {
    "group-id": (r) => r.id,
    "group-name": (r) => r.name,
    "vpc-id": () => ctx.vpcId(),
  });
  return items(
    "securityGroupInfo",
    found.map(
      (r) =>
        el("ownerId", ctx.account.accountId) +
        el("groupId", r.id) +
        el("groupName", r.name ?? r.id) +
        el("groupDescription", r.tags.Description ?? `${r.name ?? r.id} security group`) +
        el("vpcId", ctx.vpcId()) +
        items("ipPermissions", []) +
        items("ipPermissionsEgress", []) +
        ec2Tags(r.tags),
    ),
  );
};

const deleteSecurityGroup: Handler = (ctx, params) => {
  const id = params.get("GroupId") ?? "";
  const name = params.get("GroupName");
  const sg = ctx.live("security-group").find((r) => (id ? r.id === id : r.name === name));
  if (!sg) throw new AwsError("InvalidGroup.NotFound", `The security group '${id || name}' does not exist`);
  if (sgDependents(ctx, sg).length > 0)
    throw new AwsError("DependencyViolation", `resource ${sg.id} has a dependent object`);
  ctx.ledger.delete(sg.id);
  return el("return", true) + el("groupId", sg.id);
};

const describeAddresses: Handler = (ctx, params) => {
  const all = byIds(
    ctx.live("elastic-ip"),
    listParam(params, "AllocationId"),
    "InvalidAllocationID.NotFound",
    "allocation",
  );
  const found = applyFilters(filterParams(params), all, {
    "allocation-id": (r) => r.id,
    "public-ip": (r) => publicIp(r.id),
    domain: () => "vpc",
  });
  return items(
    "addressesSet",
    found.map((r) => {
      const nat = r.attachedTo ? ctx.ledger.find(r.attachedTo) : undefined;
      const eni = nat ? ctx.ledger.running("eni").find((e) => e.attachedTo === nat.id) : undefined;
      return (
        el("publicIp", publicIp(r.id)) +
        el("allocationId", r.id) +
        el("domain", "vpc") +
        (eni
          ? el("associationId", `eipassoc-${r.id.slice(9)}`) +
            el("networkInterfaceId", eni.id) +
            el("networkInterfaceOwnerId", ctx.account.accountId)
          : "") +
        ec2Tags(r.tags)
      );
    }),
  );
};

const describeNatGateways: Handler = (ctx, params) => {
  const all = byIds(
    ctx.recent("nat-gateway", TERMINATED_VISIBLE_MINUTES),
    listParam(params, "NatGatewayId"),
    "NatGatewayNotFound",
    "NAT gateway",
  );
  const state = (r: CloudResource) => (r.deletedAtMinute === undefined ? "available" : "deleted");
  const found = applyFilters(filterParams(params), all, {
    "nat-gateway-id": (r) => r.id,
    state,
    "vpc-id": () => ctx.vpcId(),
    "subnet-id": () => ctx.subnetId(),
  });
  return items(
    "natGatewaySet",
    found.map((r) => {
      const eip = ctx.ledger.history().find((e) => e.kind === "elastic-ip" && e.attachedTo === r.id);
      const eni = ctx.ledger.history().find((e) => e.kind === "eni" && e.attachedTo === r.id);
      const address = eip
        ? el("allocationId", eip.id) + el("publicIp", publicIp(eip.id)) + el("networkInterfaceId", eni?.id)
        : undefined;
      return (
        el("natGatewayId", r.id) +
        el("createTime", ctx.iso(r.launchedAtMinute)) +
        (r.deletedAtMinute !== undefined ? el("deleteTime", ctx.iso(r.deletedAtMinute)) : "") +
        el("state", state(r)) +
        el("subnetId", ctx.subnetId()) +
        el("vpcId", ctx.vpcId()) +
        el("connectivityType", "public") +
        items("natGatewayAddressSet", address ? [address] : []) +
        ec2Tags(r.tags)
      );
    }),
  );
};

export const EC2_ACTIONS: Record<string, Handler> = {
  DescribeInstances: describeInstances,
  TerminateInstances: terminateInstances,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DeleteNetworkInterface: deleteNetworkInterface,
  DescribeVolumes: describeVolumes,
  DeleteVolume: deleteVolume,
  DescribeSecurityGroups: describeSecurityGroups,
  DeleteSecurityGroup: deleteSecurityGroup,
  DescribeAddresses: describeAddresses,
  DescribeNatGateways: describeNatGateways,
};
