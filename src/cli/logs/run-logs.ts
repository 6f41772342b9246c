/**
 * `aiplat logs <endpoint>`: the Ray head, GPU workers and registration Job of one endpoint, each
 * line prefixed with its pod; a pod that has no log says why instead (waiting reason, scheduling,
 * events) and a restarted container shows its previous instance's last lines. With --follow the
 * pods are watched: streams are interleaved as lines arrive, and a replaced worker's new pod is
 * followed as soon as its container starts. Ctrl-C ends --follow cleanly (exit 0).
 */
import { createKubeHttp, type KubeHttp } from "../../adapters/kube/http.js";
import { ENDPOINT_API, ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import type { KubeEvent, Obj, Pod } from "../../core/rollout/types.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { type Component, componentOf, endpointPodSelector, mainContainer, orderPods } from "./components.js";
import { type LogOptions, readPodLog } from "./pod-log.js";
import { createPrefixer } from "./prefix.js";
import { diagnosePod } from "./why-not-started.js";

export interface LogsOptions {
  follow?: boolean;
  since?: number | undefined;
  tail?: number | undefined;
  component?: Component | undefined;
}

/** Lines of a previous (crashed) container shown when --tail is not given. */
const PREVIOUS_LINES = 20;

async function checkEndpoint(ctx: CommandContext, cluster: Cluster, name: string): Promise<Obj> {
  const endpoints = await cluster.objects
    .list<Obj>(ENDPOINT_API, "InferenceEndpoint", { namespace: ENDPOINT_NAMESPACE })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "kube-unknown-kind") return [] as Obj[];
      throw error;
    });
  const found = endpoints.find((e) => e.metadata?.name === name);
  if (found) return found;
  const known = endpoints.map((e) => e.metadata?.name).filter(Boolean);
  throw new UsageError(
    `No endpoint named ${name} in the cluster. Known endpoints: ${known.length > 0 ? known.join(", ") : "none"}.`,
    {
      code: "unknown-endpoint",
      hint:
        known.length > 0
          ? `For example: ${aiplatCommand(ctx.globals, `logs ${known[0]}`)}`
          : `Deploy one first: ${aiplatCommand(ctx.globals, "deploy-model gemma-4b")}`,
    },
  );
}

interface PodReport {
  pod: string;
  component: Component | undefined;
  started: boolean;
  why: string[];
  previous: string[];
  lines: string[];
}

const splitLines = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

async function listEvents(cluster: Cluster): Promise<KubeEvent[]> {
  return cluster.objects.list<KubeEvent>("v1", "Event", { namespace: ENDPOINT_NAMESPACE }).catch(() => []);
}

async function reportPod(
  http: KubeHttp,
  pod: Pod,
  events: readonly KubeEvent[],
  options: LogsOptions,
): Promise<PodReport> {
  const name = pod.metadata?.name ?? "?";
  const container = mainContainer(pod);
  const diagnosis = diagnosePod(pod, events);
  const report: PodReport = {
    pod: name,
    component: componentOf(pod),
    started: diagnosis.hasLog,
    why: diagnosis.lines,
    previous: [],
    lines: [],
  };
  if (diagnosis.previousTerminated) {
    const text = await readPodLog(http, ENDPOINT_NAMESPACE, name, {
      container,
      previous: true,
      tailLines: options.tail ?? PREVIOUS_LINES,
    }).catch((error: Error) => `(previous log unavailable: ${error.message})`);
    report.previous = splitLines(text);
  }
  if (diagnosis.hasLog) {
    const logOptions: LogOptions = { container, tailLines: options.tail, sinceSeconds: options.since };
    report.lines = splitLines(await readPodLog(http, ENDPOINT_NAMESPACE, name, logOptions));
  }
  return report;
}

export async function runLogs(ctx: CommandContext, name: string, options: LogsOptions): Promise<void> {
  const invalid = endpointOperandError(name);
  if (invalid) throw invalid;
  if (options.follow && ctx.io.json) {
    throw new UsageError("--follow streams lines as they come and cannot be combined with --json.", {
      code: "invalid-input",
      hint: `Drop --follow for one JSON document: ${aiplatCommand(ctx.globals, `logs ${name} --json`)}`,
    });
  }
  const cluster = await requireCluster(ctx, "aiplat logs");
  const endpoint = await checkEndpoint(ctx, cluster, name);
  const http = createKubeHttp(cluster.config);
  const prefix = createPrefixer(ctx.io.style.ok("x") !== "x");
  if (options.follow) {
    const { followEndpoint } = await import("./follow-logs.js");
    await followEndpoint(ctx, cluster, http, name, options, prefix);
    return;
  }
  const pods = orderPods(
    await cluster.objects.list<Pod>("v1", "Pod", {
      namespace: ENDPOINT_NAMESPACE,
      labelSelector: endpointPodSelector(name),
    }),
    options.component,
  );
  const events = pods.some((p) => !diagnosePod(p, []).hasLog || diagnosePod(p, []).previousTerminated)
    ? await listEvents(cluster)
    : [];
  const reports: PodReport[] = [];
  for (const pod of pods) reports.push(await reportPod(http, pod, events, options));
  const out: string[] = [];
  if (pods.length === 0) {
    const state = (endpoint.status as { state?: string } | undefined)?.state ?? "PENDING";
    out.push(
      `No ${options.component ?? "Ray or registration"} pods for ${name} yet (endpoint state ${state}).`,
    );
  }
  for (const r of reports) {
    for (const line of r.why) out.push(prefix(r.pod, `! ${line}`));
    if (r.previous.length > 0) {
      out.push(prefix(r.pod, "--- previous container, last lines ---"));
      for (const line of r.previous) out.push(prefix(r.pod, line));
      out.push(prefix(r.pod, "--- current container ---"));
    }
    for (const line of r.lines) out.push(prefix(r.pod, line));
  }
  ctx.io.result({ endpoint: name, pods: reports }, out.join("\n"));
}
