import type { CloudResource } from "../cloud/ledger.js";
import type { RequestContext } from "./account.js";
import { AwsError } from "./wire.js";

/**
 * EKS (restJson1): DescribeCluster, ListCapabilities, DescribeCapability — the routes and shapes of
 * the EKS API reference (GET /clusters/{name}, GET /clusters/{name}/capabilities[/{capabilityName}]).
 * Timestamps are epoch seconds (restJson1's default). A cluster being deleted answers DELETING; a
 * deleted one ResourceNotFoundException ("No cluster found for name: <name>.").
 */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

const seconds = (ctx: RequestContext, minute: number) => ctx.ledger.dateOf(minute).getTime() / 1000;

function cluster(ctx: RequestContext, name: string): CloudResource {
  const found = ctx.live("eks-cluster").find((r) => r.name === name);
  if (!found) throw new AwsError("ResourceNotFoundException", `No cluster found for name: ${name}.`, 404);
  return found;
}

function capabilityShape(ctx: RequestContext, c: CloudResource, clusterName: string) {
  return {
    capabilityName: c.name,
    arn: `${ctx.arnPrefix("eks")}:capability/${clusterName}/${c.type?.toLowerCase()}/${c.name}/${c.id.slice(4)}`,
    type: c.type,
    status: c.deletingSinceMinute !== undefined ? "DELETING" : "ACTIVE",
    version: "v1",
    createdAt: seconds(ctx, c.launchedAtMinute),
    modifiedAt: seconds(ctx, c.launchedAtMinute),
  };
}

function describeCluster(ctx: RequestContext, name: string): JsonAnswer {
  const c = cluster(ctx, name);
  const subnets = ctx.live("subnet").map((s) => s.id);
  return {
    status: 200,
    body: {
      cluster: {
        name,
        arn: `${ctx.arnPrefix("eks")}:cluster/${name}`,
        createdAt: seconds(ctx, c.launchedAtMinute),
        version: c.type ?? "1.33",
        endpoint: ctx.account.clusterEndpoint() ?? "",
        roleArn: `arn:aws:iam::${ctx.account.accountId}:role/${name}-cluster`,
        resourcesVpcConfig: {
          vpcId: ctx.vpcId(),
          subnetIds: subnets,
          endpointPublicAccess: true,
          endpointPrivateAccess: true,
        },
        certificateAuthority: {
          data: Buffer.from("simulated cluster CA (the API server is plain HTTP)").toString("base64"),
        },
        status: c.deletingSinceMinute !== undefined ? "DELETING" : "ACTIVE",
        platformVersion: "eks.1",
        accessConfig: { authenticationMode: "API" },
        logging: {
          clusterLogging: [{ types: ["api", "audit", "authenticator"], enabled: true }],
        },
        tags: c.tags,
      },
    },
  };
}

/** Routes a REST call; undefined when no EKS operation has that method and path. */
export function routeEks(ctx: RequestContext, method: string, path: string): JsonAnswer | undefined {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (method !== "GET" || parts[0] !== "clusters" || parts.length < 2) return undefined;
  const name = parts[1] ?? "";
  if (parts.length === 2) return describeCluster(ctx, name);
  if (parts[2] !== "capabilities" || parts.length > 4) return undefined;
  cluster(ctx, name);
  const caps = ctx
    .live("eks-capability")
    .filter((c) => c.tags["aiplat:cluster"] === name || !c.tags["aiplat:cluster"]);
  if (parts.length === 3)
    return { status: 200, body: { capabilities: caps.map((c) => capabilityShape(ctx, c, name)) } };
  const cap = caps.find((c) => c.name === parts[3]);
  if (!cap)
    throw new AwsError("ResourceNotFoundException", `No capability found for name: ${parts[3]}.`, 404);
  const roleArn = `arn:aws:iam::${ctx.account.accountId}:role/${name}-${cap.name}-capability`;
  // ArgoCdConfigResponse.serverUrl: the managed Argo CD's UI and API (EKS API reference).
  const configuration =
    cap.type === "ARGOCD"
      ? {
          argoCd: {
            serverUrl: `https://${cap.id.slice(4)}.eks-capabilities.${ctx.account.region}.amazonaws.com`,
            namespace: "argocd",
          },
        }
      : undefined;
  return {
    status: 200,
    body: {
      capability: {
        ...capabilityShape(ctx, cap, name),
        clusterName: name,
        roleArn,
        configuration,
        tags: cap.tags,
      },
    },
  };
}
