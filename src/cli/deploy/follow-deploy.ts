/**
 * `deploy-model --wait`: follows one endpoint through every layer until LiteLLM answers for it.
 * Cluster layers come from watches; LiteLLM needs HTTP, polled with backoff only once the
 * RayService is Ready. Ctrl-C stops following and undoes nothing.
 */
import { formatElapsed } from "../../core/clock.js";
import { ENDPOINT_API } from "../../core/endpoint/endpoint-spec.js";
import { type AiplatError, ExternalError, InterruptedError, isAiplatError } from "../../core/errors.js";
import { computeDeploySteps, type DeployObservation } from "../../core/rollout/deploy-steps.js";
import {
  collectCapacityErrors,
  collectImagePullError,
  timedConditions,
  trackFirstSeen,
} from "../../core/rollout/follow-memory.js";
import { currentWorkerPods } from "../../core/rollout/observe-pods.js";
import { applyOutage, DEFAULT_UNREACHABLE_MS, outageExceeded } from "../../core/rollout/outage.js";
import type { ArgoApplication, FirstToken, LitellmView, Obj, RolloutStep } from "../../core/rollout/types.js";
import { conditionOf } from "../../core/rollout/types.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, type LitellmAccess, openLitellm } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { createNotifier, startWatches, type WatchSpec } from "./cluster-watch.js";
import { type FailureFixContext, failureFix } from "./failure-fix.js";
import { allRecords, type StepRecord, stepTasks } from "./step-tasks.js";

// Defined with the endpoint spec; re-exported for the deploy modules that import it from here.
export { ENDPOINT_API };
export const ARGOCD_NAMESPACE = "argocd";
export const WORKLOADS_APP = "workloads";
const FIRST_PROMPT = "Say hello in five words.";

export interface FollowDeployParams {
  name: string;
  namespace: string;
  commit: string;
  pushedTo: string;
  spec: Record<string, unknown>;
  /** The RayService spec KRO renders for this declaration (from the preview). */
  expectedRayServiceSpec?: Record<string, unknown> | undefined;
  timeoutMs: number;
  /** --unreachable-timeout: how long the API server may be unreachable before following gives up. */
  unreachableMs?: number | undefined;
  /** --image-pull-timeout and --capacity-timeout: how long those errors may last before failing. */
  limits: { imagePullMs: number; capacityMs: number };
  /** What the fix of a known failure cause (a gated model, GPU memory) needs to name. */
  fix?: FailureFixContext | undefined;
}

export function workerSelector(name: string): string {
  return `app.kubernetes.io/instance=${name},ray.io/node-type=worker`;
}

export function deployWatchSpecs(name: string, namespace: string): WatchSpec[] {
  const byName = (n: string) => `metadata.name=${n}`;
  return [
    {
      key: "app",
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      opts: { namespace: ARGOCD_NAMESPACE, fieldSelector: byName(WORKLOADS_APP) },
    },
    {
      key: "endpoint",
      apiVersion: ENDPOINT_API,
      kind: "InferenceEndpoint",
      opts: { namespace, fieldSelector: byName(name) },
    },
    {
      key: "rayservice",
      apiVersion: "ray.io/v1",
      kind: "RayService",
      opts: { namespace, fieldSelector: byName(name) },
    },
    { key: "pods", apiVersion: "v1", kind: "Pod", opts: { namespace, labelSelector: workerSelector(name) } },
    // Events can only be narrowed by name server-side; the state machine matches them to the pod.
    { key: "events", apiVersion: "v1", kind: "Event", opts: { namespace } },
    { key: "nodeclaims", apiVersion: "karpenter.sh/v1", kind: "NodeClaim", opts: {} },
    { key: "nodes", apiVersion: "v1", kind: "Node", opts: {} },
    {
      key: "job",
      apiVersion: "batch/v1",
      kind: "Job",
      opts: { namespace, fieldSelector: byName(`${name}-litellm-register`) },
    },
  ];
}

const LOOK_AT: Record<string, (name: string, ns: string) => string> = {
  synced: () =>
    `kubectl -n ${ARGOCD_NAMESPACE} get application ${WORKLOADS_APP} -o yaml (status.sync, status.operationState)`,
  accepted: (n, ns) => `kubectl -n ${ns} describe inferenceendpoint ${n}`,
  rayservice: (n, ns) => `kubectl -n ${ns} describe inferenceendpoint ${n} (KRO's conditions)`,
  scheduled: (n, ns) => `kubectl -n ${ns} describe pods -l ${workerSelector(n)}`,
  node: () => "kubectl get nodeclaims -l karpenter.sh/nodepool=gpu-inference -o wide",
  image: (n, ns) => `kubectl -n ${ns} describe pods -l ${workerSelector(n)}`,
  loaded: (n, ns) =>
    `kubectl -n ${ns} logs -l ${workerSelector(n)} --tail 100 (Ray dashboard: kubectl -n ${ns} port-forward svc/${n}-head-svc 8265)`,
  ready: (n, ns) => `kubectl -n ${ns} describe rayservice ${n}`,
  registered: (n, ns) => `kubectl -n ${ns} logs job/${n}-litellm-register`,
  answered: () => "kubectl -n ai-platform logs deploy/litellm --tail 100",
};

/** Steps whose cause shows in a pod's log or why it has not started: `aiplat logs` shows both. */
const LOGS_COMPONENT: Record<string, string> = {
  scheduled: "worker",
  image: "worker",
  loaded: "worker",
  ready: "head",
  registered: "register",
};

function lookAt(ctx: CommandContext, stepId: string, name: string, namespace: string): string {
  const component = LOGS_COMPONENT[stepId];
  const logs = component
    ? `\`${aiplatCommand(ctx.globals, `logs ${name} --component ${component}`)}\`, or `
    : "";
  return `Look at: ${logs}${LOOK_AT[stepId]?.(name, namespace) ?? "the cluster"}`;
}

export interface FollowResult {
  steps: StepRecord[];
  timeToFirstTokenMs: number | undefined;
}

export async function followDeploy(
  ctx: CommandContext,
  cluster: Cluster,
  p: FollowDeployParams,
): Promise<FollowResult> {
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  ctx.signal.addEventListener("abort", onOuterAbort, { once: true });
  const notifier = createNotifier();
  const { live, done } = startWatches(
    cluster.objects,
    deployWatchSpecs(p.name, p.namespace),
    ctx.clock,
    stop.signal,
    () => notifier.notify(),
    (m) => ctx.io.debug(m),
  );
  let litellm: LitellmView | undefined;
  let firstToken: FirstToken | undefined;
  let firstSeen: Record<string, number> = {};
  let capacityErrors: Record<string, string> = {};
  let pullError: ReturnType<typeof collectImagePullError>;
  let refused: AiplatError | undefined;

  const observe = (): DeployObservation => {
    const apps = live.get<ArgoApplication>("app");
    const base = {
      name: p.name,
      commit: p.commit,
      pushedTo: p.pushedTo,
      spec: p.spec,
      expectedRayServiceSpec: p.expectedRayServiceSpec,
      application: apps === undefined ? undefined : (apps[0] ?? null),
      endpoint: live.get<Obj>("endpoint")?.[0],
      rayService: live.get<Obj>("rayservice")?.[0],
      workerPods: live.get<Obj>("pods") ?? [],
      events: live.get<Obj>("events") ?? [],
      nodeClaims: live.get<Obj>("nodeclaims") ?? [],
      nodes: live.get<Obj>("nodes") ?? [],
      registrationJob: live.get<Obj>("job")?.[0],
      litellm,
      firstToken,
      now: ctx.clock.now(),
      limits: p.limits,
      capacityErrors: {} as Record<string, string>,
      imagePullError: undefined as string | undefined,
    };
    const current = currentWorkerPods(base.rayService, base.workerPods);
    pullError = collectImagePullError(pullError, current);
    base.imagePullError = pullError?.message;
    capacityErrors = collectCapacityErrors(capacityErrors, base.nodeClaims, current);
    base.capacityErrors = capacityErrors;
    firstSeen = trackFirstSeen(firstSeen, timedConditions(base), base.now);
    return { ...base, firstSeen } as DeployObservation;
  };
  const unreachableMs = p.unreachableMs ?? DEFAULT_UNREACHABLE_MS;
  const board = {
    steps: () =>
      applyOutage(computeDeploySteps(observe()), live.unreachable(), ctx.clock.now(), unreachableMs),
    subscribe: notifier.subscribe,
  };

  const llm = followLitellm(ctx, cluster, p.name, stop.signal, () => observe(), notifier.subscribe, {
    onModels: (view) => {
      litellm = view;
      notifier.notify();
    },
    onFirstToken: (result) => {
      firstToken = result;
      notifier.notify();
    },
    onRefused: (error) => {
      refused = error;
    },
  });

  const records = new Map<string, StepRecord>();
  const resume = aiplatCommand(ctx.globals, `deploy-model ${p.name} --wait`);
  const started = ctx.clock.now();
  try {
    await ctx.io.runTasks(
      stepTasks(board, {
        now: () => ctx.clock.now(),
        signal: ctx.signal,
        deadline: started + p.timeoutMs,
        records,
        onFailure: (step) =>
          outageExceeded(live.unreachable(), ctx.clock.now(), unreachableMs)
            ? lostCluster(p.name, step, resume, aiplatCommand(ctx.globals, "doctor"))
            : (refused ??
              new ExternalError(`${p.name}: ${step.title} failed — ${step.reason ?? "see the cluster"}`, {
                code: "rollout-failed",
                hint:
                  step.cause && p.fix
                    ? failureFix(ctx.globals, step.cause, p.fix)
                    : // The cause is not one aiplat knows a flag for: a command the user can run as printed.
                      `${lookAt(ctx, step.id, p.name, p.namespace)}. Fix what it shows, or remove the model: \`${aiplatCommand(ctx.globals, `undeploy-model ${p.name}`)}\`.`,
                details: { step: step.id, commit: p.commit, pushedTo: p.pushedTo },
              })),
        onTimeout: (step: RolloutStep) =>
          new ExternalError(
            `Timed out after ${formatElapsed(p.timeoutMs)} at "${step.title}": ${step.reason ?? "no progress"}.`,
            {
              code: "rollout-timeout",
              hint: `${lookAt(ctx, step.id, p.name, p.namespace)}. Nothing was undone; keep following with \`${resume} --timeout 30m\`.`,
              details: { step: step.id, commit: p.commit, pushedTo: p.pushedTo },
            },
          ),
        onInterrupt: (step) =>
          new InterruptedError(`Stopped following ${p.name} at "${step.title}"; nothing was undone.`, {
            hint: `Resume watching with \`${resume}\`.`,
            details: { step: step.id, commit: p.commit, pushedTo: p.pushedTo },
          }),
      }),
    );
    return { steps: allRecords(board, records), timeToFirstTokenMs: firstToken?.ms };
  } finally {
    stop.abort();
    ctx.signal.removeEventListener("abort", onOuterAbort);
    await Promise.allSettled([done, llm]);
  }
}

/** Following `what` gave up because the cluster stopped answering (exit 5), with the real cause. */
export function lostCluster(what: string, step: RolloutStep, resume: string, doctor: string): ExternalError {
  return new ExternalError(`Lost the cluster while following ${what} at "${step.title}": ${step.reason}.`, {
    code: "cluster-unreachable",
    hint: `Nothing was undone. Check your network or VPN and the cluster (\`${doctor}\`), then keep following with \`${resume}\`.`,
    details: { step: step.id },
  });
}

/** Resolves on the next observed change (or when following stops). */
function nextChange(subscribe: (listener: () => void) => () => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      unsubscribe();
      signal.removeEventListener("abort", finish);
      resolve();
    };
    const unsubscribe = subscribe(finish);
    signal.addEventListener("abort", finish, { once: true });
  });
}

/** LiteLLM refused the key: asking again with the same key cannot succeed. */
function isKeyRefused(error: unknown): error is AiplatError {
  return isAiplatError(error) && error.code === "litellm-auth";
}

interface LitellmCallbacks {
  onModels(view: LitellmView): void;
  onFirstToken(result: FirstToken): void;
  /** Called before the view that fails the step, with the error to report. */
  onRefused(error: AiplatError): void;
}

/**
 * LiteLLM has no watch: once the RayService is Ready, ask /v1/models with backoff (1 s doubling to
 * 10 s) until the endpoint is listed, then send one streamed completion (retried the same way).
 * A refused key is not retried: the same key is refused again, so the step fails at once.
 */
async function followLitellm(
  ctx: CommandContext,
  cluster: Cluster,
  name: string,
  signal: AbortSignal,
  observe: () => DeployObservation,
  subscribe: (listener: () => void) => () => void,
  callbacks: LitellmCallbacks,
): Promise<void> {
  let access: LitellmAccess | undefined;
  let delay = 1000;
  const backoff = async () => {
    await ctx.clock.sleep(delay, signal);
    delay = Math.min(10_000, delay * 2);
  };
  try {
    while (!signal.aborted) {
      if (conditionOf(observe().rayService, "Ready")?.status !== "True") {
        await nextChange(subscribe, signal);
        continue;
      }
      try {
        access ??= await openLitellm(ctx, cluster);
        const models = await access.client.listModels(signal);
        callbacks.onModels({ models });
        if (models.includes(name)) break;
      } catch (error) {
        if (signal.aborted) return;
        if (isKeyRefused(error)) {
          callbacks.onRefused(error);
          return callbacks.onModels({ error: error.message, terminal: true });
        }
        callbacks.onModels({ error: (error as Error).message });
      }
      await backoff();
    }
    delay = 1000;
    while (!signal.aborted && access) {
      try {
        const result = await access.client.firstCompletion(name, FIRST_PROMPT, signal);
        callbacks.onFirstToken({ ms: result.timeToFirstTokenMs });
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (isKeyRefused(error)) {
          callbacks.onRefused(error);
          return callbacks.onFirstToken({ error: error.message, terminal: true });
        }
        callbacks.onFirstToken({ error: `${(error as Error).message} (retrying)` });
      }
      await backoff();
    }
  } catch {
    // Aborted while sleeping: following stopped.
  } finally {
    await access?.close();
  }
}
