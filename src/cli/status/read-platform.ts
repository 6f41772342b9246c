/**
 * The in-cluster sections (GitOps, Endpoints, GPU nodes, LiteLLM) from five lists, one Secret read
 * and one port-forward to LiteLLM: the number of requests does not depend on how many endpoints,
 * pods or nodes there are (never one call per object). Each section fails on its own: a 403 on
 * Applications does not hide the endpoints.
 */
import { ENDPOINT_API, ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import type { Obj, Pod } from "../../core/rollout/types.js";
import { buildEndpoints } from "../../core/status/endpoints.js";
import { buildGitops, type StatusApplication } from "../../core/status/gitops.js";
import { buildGpuNodes } from "../../core/status/gpu-nodes.js";
import { buildLitellm } from "../../core/status/litellm.js";
import type { PlatformStatus, Section } from "../../core/status/types.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, openLitellm } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { reasonOf } from "./read-infrastructure.js";
import { readRemoteHeads } from "./remote-heads.js";

export type ClusterSections = Pick<PlatformStatus, "gitops" | "endpoints" | "gpuNodes" | "litellm">;

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const status = (error as { details?: { status?: number } }).details?.status;
    const reason = reasonOf(error);
    return { ok: false, reason: status === 403 ? `not allowed (RBAC): ${reason}` : reason };
  }
}

/** A kind the cluster does not serve yet (KRO or KubeRay not installed) means there are none. */
export function listServed<T>(
  cluster: Cluster,
  apiVersion: string,
  kind: string,
  namespace?: string,
): Promise<T[]> {
  return cluster.objects.list<T>(apiVersion, kind, namespace ? { namespace } : {}).catch((error: unknown) => {
    if ((error as { code?: string }).code === "kube-unknown-kind") return [];
    throw error;
  });
}

export interface LitellmRead {
  healthy: boolean;
  database?: string | undefined;
  models: string[];
  /** Requests per model over REQUESTS_WINDOW_DAYS; undefined when LiteLLM does not report them. */
  requests?: ReadonlyMap<string, number> | undefined;
}

/** The REQUESTS column counts the last 30 days (LiteLLM keeps daily totals). */
export const REQUESTS_WINDOW_DAYS = 30;

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function readLitellm(ctx: CommandContext, cluster: Cluster): Promise<LitellmRead> {
  const access = await openLitellm(ctx, cluster);
  try {
    const now = ctx.clock.now();
    const since = utcDate(now - (REQUESTS_WINDOW_DAYS - 1) * 86_400_000);
    // One after the other: each reuses the one port-forwarded connection (one stream, a fixed
    // number of API requests), where parallel requests would open as many as the pool likes.
    const models = await access.client.listModels(ctx.signal);
    // Without a database (or in an older LiteLLM) there are no counts: the column shows "-".
    const requests = await access.client
      .requestsServed(since, utcDate(now), ctx.signal)
      .catch((error: Error) => {
        ctx.io.debug(`LiteLLM daily activity: ${error.message}`);
        return undefined;
      });
    // /health/readiness needs no key and reports the database connection (docs.litellm.ai, proxy/health).
    let healthy = false;
    let database: string | undefined;
    try {
      const response = await fetch(`${access.url}/health/readiness`, { signal: ctx.signal });
      const body = (await response.json().catch(() => ({}))) as { status?: string; db?: string };
      healthy = response.ok && body.status === "healthy";
      database = body.db;
    } catch (error) {
      database = `unknown (${(error as Error).message})`;
    }
    return { healthy, database, models, requests };
  } finally {
    await access.close();
  }
}

const failed = (reason: string) => ({ ok: false as const, reason });

/** A read section; when its list is empty, with the command that fills it (printed as the next step). */
function withNext<T extends object, K extends keyof T>(section: T, list: K, next: string) {
  const empty = Array.isArray(section[list]) && (section[list] as unknown[]).length === 0;
  return { ok: true as const, ...section, ...(empty ? { next } : {}) };
}

export async function readClusterSections(
  ctx: CommandContext,
  cluster: Cluster | undefined,
  unreachable: string | undefined,
): Promise<ClusterSections> {
  if (!cluster) {
    const reason = unreachable ?? "cluster not reachable";
    return {
      gitops: failed(reason),
      endpoints: failed(reason),
      gpuNodes: failed(reason),
      litellm: failed(reason),
    };
  }
  const [apps, heads, endpoints, rayServices, pods, nodes, litellm] = await Promise.all([
    attempt(() => listServed<StatusApplication>(cluster, "argoproj.io/v1alpha1", "Application", "argocd")),
    readRemoteHeads(ctx),
    attempt(() => listServed<Obj>(cluster, ENDPOINT_API, "InferenceEndpoint", ENDPOINT_NAMESPACE)),
    attempt(() => listServed<Obj>(cluster, "ray.io/v1", "RayService", ENDPOINT_NAMESPACE)),
    attempt(() => cluster.objects.list<Pod>("v1", "Pod", { namespace: ENDPOINT_NAMESPACE })),
    attempt(() => cluster.objects.list<Obj>("v1", "Node")),
    attempt(() => readLitellm(ctx, cluster)),
  ]);
  return assembleClusterSections(ctx, { apps, endpoints, rayServices, pods, nodes }, heads, litellm);
}

/** What the in-cluster sections are built from: lists (or, under --watch, the watches' current sets). */
export interface ClusterLists {
  apps: Outcome<StatusApplication[]>;
  endpoints: Outcome<Obj[]>;
  rayServices: Outcome<Obj[]>;
  pods: Outcome<Pod[]>;
  nodes: Outcome<Obj[]>;
}

export function assembleClusterSections(
  ctx: CommandContext,
  lists: ClusterLists,
  heads: ReadonlyMap<string, string> | undefined,
  litellm: Outcome<LitellmRead>,
): ClusterSections {
  const { apps, endpoints, rayServices, pods, nodes } = lists;
  const gitops: Section<ReturnType<typeof buildGitops>> = apps.ok
    ? withNext(buildGitops(apps.value, heads), "applications", aiplatCommand(ctx.globals, "bootstrap"))
    : failed(apps.reason);
  const registered = litellm.ok ? litellm.value.models : undefined;
  const endpointProblem = !endpoints.ok
    ? endpoints
    : !rayServices.ok
      ? rayServices
      : !pods.ok
        ? pods
        : undefined;
  const endpointSection: ClusterSections["endpoints"] =
    endpoints.ok && rayServices.ok && pods.ok
      ? withNext(
          buildEndpoints(endpoints.value, rayServices.value, pods.value, registered, {
            requests: litellm.ok ? litellm.value.requests : undefined,
          }),
          "endpoints",
          aiplatCommand(ctx.globals, "deploy-model gemma-4b"),
        )
      : failed(endpointProblem?.ok === false ? endpointProblem.reason : "unknown");
  const gpuNodes: ClusterSections["gpuNodes"] =
    nodes.ok && pods.ok
      ? { ok: true, ...buildGpuNodes(nodes.value, pods.value) }
      : failed(!nodes.ok ? nodes.reason : !pods.ok ? pods.reason : "unknown");
  const endpointNames = endpoints.ok
    ? endpoints.value.map((e) => e.metadata?.name).filter((n): n is string => Boolean(n))
    : undefined;
  const litellmSection: ClusterSections["litellm"] = litellm.ok
    ? {
        ok: true,
        ...buildLitellm(litellm.value, litellm.value.models, endpointNames, (model) =>
          aiplatCommand(ctx.globals, `undeploy-model ${model}`),
        ),
      }
    : failed(`LiteLLM not reachable: ${litellm.reason}`);
  return { gitops, endpoints: endpointSection, gpuNodes, litellm: litellmSection };
}
