/**
 * `undeploy-model --wait`: follows the teardown until the RayService, its pods and the GPU nodes
 * that ran them are gone (watches; Karpenter releases empty nodes after consolidateAfter).
 */
import { formatElapsed } from "../../core/clock.js";
import { ExternalError, InterruptedError } from "../../core/errors.js";
import { applyOutage, outageExceeded } from "../../core/rollout/outage.js";
import type { ArgoApplication, Obj, Pod } from "../../core/rollout/types.js";
import { computeUndeploySteps } from "../../core/rollout/undeploy-steps.js";
import { aiplatCommand } from "../carry-flags.js";
import type { Cluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { createNotifier, startWatches } from "./cluster-watch.js";
import { deployWatchSpecs, lostCluster } from "./follow-deploy.js";
import { allRecords, type StepRecord, stepTasks } from "./step-tasks.js";

export interface FollowUndeployParams {
  name: string;
  namespace: string;
  commit: string;
  pushedTo: string;
  trackedNodes: string[];
  timeoutMs: number;
  /** How long the cluster may stay unreachable before following gives up (exit 5). */
  unreachableMs: number;
}

const WATCHED = new Set(["app", "endpoint", "rayservice", "pods", "nodes"]);

/** Names of the nodes running this endpoint's worker pods now (to know which must go). */
export async function workerNodes(cluster: Cluster, name: string, namespace: string): Promise<string[]> {
  const spec = deployWatchSpecs(name, namespace).find((s) => s.key === "pods");
  const pods = await cluster.objects.list<Pod>("v1", "Pod", spec?.opts);
  return [...new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => Boolean(n)))];
}

export async function followUndeploy(
  ctx: CommandContext,
  cluster: Cluster,
  p: FollowUndeployParams,
): Promise<StepRecord[]> {
  const stop = new AbortController();
  const notifier = createNotifier();
  const { live, done } = startWatches(
    cluster.objects,
    deployWatchSpecs(p.name, p.namespace).filter((s) => WATCHED.has(s.key)),
    ctx.clock,
    stop.signal,
    () => notifier.notify(),
    (m) => ctx.io.debug(m),
  );
  const board = {
    steps: () => applyOutage(observeSteps(), live.unreachable(), ctx.clock.now(), p.unreachableMs),
    subscribe: notifier.subscribe,
  };
  function observeSteps() {
    const apps = live.get<ArgoApplication>("app");
    return computeUndeploySteps({
      name: p.name,
      commit: p.commit,
      pushedTo: p.pushedTo,
      application: apps === undefined ? undefined : (apps[0] ?? null),
      // Until the first list answers, assume the objects are still there.
      endpoint: live.get("endpoint") === undefined ? ({} as Obj) : live.get<Obj>("endpoint")?.[0],
      rayService: live.get("rayservice") === undefined ? ({} as Obj) : live.get<Obj>("rayservice")?.[0],
      workerPods: live.get<Pod>("pods") ?? [{}],
      trackedNodes: p.trackedNodes,
      nodes: live.get<Obj>("nodes") ?? p.trackedNodes.map((n) => ({ metadata: { name: n } })),
    });
  }
  const records = new Map<string, StepRecord>();
  const resume = aiplatCommand(ctx.globals, `undeploy-model ${p.name} --wait`);
  try {
    await ctx.io.runTasks(
      stepTasks(board, {
        now: () => ctx.clock.now(),
        signal: ctx.signal,
        deadline: ctx.clock.now() + p.timeoutMs,
        records,
        onFailure: (step) =>
          outageExceeded(live.unreachable(), ctx.clock.now(), p.unreachableMs)
            ? lostCluster(`the removal of ${p.name}`, step, resume, aiplatCommand(ctx.globals, "doctor"))
            : new ExternalError(`${step.title}: ${step.reason}`, { code: "teardown-failed" }),
        onTimeout: (step) =>
          new ExternalError(
            `Timed out after ${formatElapsed(p.timeoutMs)} at "${step.title}": ${step.reason ?? "no progress"}.`,
            {
              code: "teardown-timeout",
              hint: `Look at \`kubectl -n ${p.namespace} get rayservice,pods\` and \`kubectl get nodeclaims\`; keep following with \`${resume}\`.`,
              details: { step: step.id },
            },
          ),
        onInterrupt: (step) =>
          new InterruptedError(
            `Stopped following the removal of ${p.name} at "${step.title}"; nothing was undone.`,
            {
              hint: `Resume watching with \`${resume}\`.`,
            },
          ),
      }),
    );
    return allRecords(board, records);
  } finally {
    stop.abort();
    await done;
  }
}
