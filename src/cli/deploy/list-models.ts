/**
 * `aiplat models`: endpoints as declared in git (platform/workloads/*.yaml) joined with what the
 * cluster and LiteLLM report. Without a cluster the list comes from git alone, marked so.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import { conditionOf, type Obj } from "../../core/rollout/types.js";
import { aiplatCommand } from "../carry-flags.js";
import { openLitellm, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { ENDPOINT_API } from "./follow-deploy.js";
import { WORKLOADS_DIR } from "./platform-files.js";

export interface EndpointRow {
  name: string;
  model: string | undefined;
  gpus: number | undefined;
  replicas: string | undefined;
  /** In git (declared), in the cluster, or both. */
  inGit: boolean;
  inCluster: boolean | undefined;
  state: string | undefined;
  ready: boolean | undefined;
  registered: boolean | undefined;
  /** creationTimestamp in the cluster, else the commit time of the file. */
  since: string | undefined;
  /**
   * Registered in LiteLLM with no endpoint in git or the cluster (an undeploy that could not reach
   * LiteLLM): requests to it fail. `fix` is the command that deregisters it.
   */
  orphan?: { fix: string } | undefined;
}

interface Declared {
  name: string;
  model?: string;
  gpus?: number;
  replicas?: string;
}

function readDeclared(root: string): Declared[] {
  let files: string[];
  try {
    files = readdirSync(join(root, WORKLOADS_DIR)).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"));
  } catch {
    return [];
  }
  const out: Declared[] = [];
  for (const file of files.sort()) {
    let doc: { kind?: string; metadata?: { name?: string }; spec?: Record<string, unknown> } | null;
    try {
      doc = parse(readFileSync(join(root, WORKLOADS_DIR, file), "utf8"));
    } catch {
      continue;
    }
    if (doc?.kind !== "InferenceEndpoint" || !doc.metadata?.name) continue;
    const s = doc.spec ?? {};
    out.push({
      name: doc.metadata.name,
      model: typeof s.model === "string" ? s.model : undefined,
      gpus: typeof s.gpuCount === "number" ? s.gpuCount : 1,
      replicas: `${s.minReplicas ?? 1}-${s.maxReplicas ?? 4}`,
    });
  }
  return out;
}

async function commitTime(ctx: CommandContext, root: string, name: string): Promise<string | undefined> {
  const result = await ctx.adapters.process.run(
    "git",
    ["log", "-1", "--format=%cI", "--", `${WORKLOADS_DIR}/${name}.yaml`],
    { cwd: root },
  );
  const text = result.stdout.trim();
  return result.exitCode === 0 && text !== "" ? text : undefined;
}

export interface ModelList {
  cluster: { reachable: boolean; reason?: string | undefined; litellm?: string | undefined };
  endpoints: EndpointRow[];
}

export async function listModels(ctx: CommandContext): Promise<ModelList> {
  const root = ctx.root();
  const declared = readDeclared(root);
  const access = await tryConnect(ctx);
  const rows = new Map<string, EndpointRow>();
  for (const d of declared) {
    rows.set(d.name, {
      name: d.name,
      model: d.model,
      gpus: d.gpus,
      replicas: d.replicas,
      inGit: true,
      inCluster: undefined,
      state: undefined,
      ready: undefined,
      registered: undefined,
      since: await commitTime(ctx, root, d.name),
    });
  }
  if (!access.cluster) {
    return { cluster: { reachable: false, reason: access.reason }, endpoints: [...rows.values()] };
  }
  const cluster = access.cluster;
  // A kind the cluster does not serve yet (KRO's CRD, KubeRay not bootstrapped) means none exist;
  // any other failure (403, a broken connection) must not turn into "not in cluster" rows.
  const listKind = (apiVersion: string, kind: string) =>
    cluster.objects.list<Obj>(apiVersion, kind, { namespace: ENDPOINT_NAMESPACE }).catch((error: unknown) => {
      if ((error as { code?: string }).code === "kube-unknown-kind") return [];
      throw error;
    });
  const [endpoints, rayServices] = await Promise.all([
    listKind(ENDPOINT_API, "InferenceEndpoint"),
    listKind("ray.io/v1", "RayService"),
  ]);
  let registered: string[] | undefined;
  let litellmProblem: string | undefined;
  try {
    const llm = await openLitellm(ctx, cluster);
    try {
      registered = await llm.client.listModels(ctx.signal);
    } finally {
      await llm.close();
    }
  } catch (error) {
    litellmProblem = (error as Error).message;
  }
  for (const row of rows.values()) row.inCluster = false;
  for (const e of endpoints) {
    const name = e.metadata?.name;
    if (!name) continue;
    const spec = e.spec ?? {};
    const row: EndpointRow = rows.get(name) ?? {
      name,
      model: typeof spec.model === "string" ? spec.model : undefined,
      gpus: typeof spec.gpuCount === "number" ? spec.gpuCount : undefined,
      replicas: `${spec.minReplicas ?? 1}-${spec.maxReplicas ?? 4}`,
      inGit: false,
      inCluster: true,
      state: undefined,
      ready: undefined,
      registered: undefined,
      since: undefined,
    };
    const rs = rayServices.find((r) => r.metadata?.name === name);
    row.inCluster = true;
    row.state = (e.status as { state?: string } | undefined)?.state ?? "PENDING";
    row.ready = conditionOf(rs, "Ready")?.status === "True";
    row.since = e.metadata?.creationTimestamp ?? row.since;
    rows.set(name, row);
  }
  for (const row of rows.values()) row.registered = registered ? registered.includes(row.name) : undefined;
  for (const name of registered ?? []) {
    if (rows.has(name)) continue;
    rows.set(name, {
      name,
      model: undefined,
      gpus: undefined,
      replicas: undefined,
      inGit: false,
      inCluster: false,
      state: undefined,
      ready: undefined,
      registered: true,
      since: undefined,
      orphan: { fix: aiplatCommand(ctx.globals, `undeploy-model ${name}`) },
    });
  }
  return {
    cluster: { reachable: true, litellm: litellmProblem },
    endpoints: [...rows.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function age(since: string | undefined, now: number): string {
  if (!since) return "-";
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

const yesNo = (v: boolean | undefined) => (v === undefined ? "?" : v ? "yes" : "no");

export function formatModelTable(list: ModelList, now: number): string {
  const header = ["NAME", "MODEL", "GPUS", "REPLICAS", "STATE", "READY", "LITELLM", "AGE"];
  const rows = list.endpoints.map((r) => [
    r.inGit ? r.name : r.orphan ? `${r.name} (LiteLLM only)` : `${r.name} (not in git)`,
    r.model ?? "-",
    String(r.gpus ?? "-"),
    r.replicas ?? "-",
    r.inCluster === false ? "not in cluster" : (r.state ?? "?"),
    yesNo(r.ready),
    yesNo(r.registered),
    age(r.since, now),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out =
    list.endpoints.length === 0
      ? ["No endpoints declared. Deploy one: aiplat deploy-model gemma-4b"]
      : [line(header), ...rows.map(line)];
  for (const r of list.endpoints.filter((e) => e.orphan)) {
    out.push(
      `${r.name} is registered in LiteLLM but has no endpoint (requests to it fail); remove it: ${r.orphan?.fix}`,
    );
  }
  if (!list.cluster.reachable)
    out.push(`(from git only — ${list.cluster.reason}; state, ready and LiteLLM unknown)`);
  else if (list.cluster.litellm) out.push(`(LiteLLM not reachable: ${list.cluster.litellm})`);
  return out.join("\n");
}
