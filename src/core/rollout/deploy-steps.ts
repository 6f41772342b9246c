/**
 * The layered rollout of one InferenceEndpoint as a list of steps, computed from what the follower
 * last observed. Pure: the same observation always gives the same steps. Each step is judged on its
 * own evidence (a later layer can be done while an earlier one still reports), then the first step
 * not done is "active" and the rest "pending" — unless a terminal failure was seen anywhere, which
 * marks that step "failed" so the follower stops at once instead of waiting for its timeout.
 */
import { judgeImage, judgeNode, judgeScheduled } from "./judge-worker.js";
import { currentWorkerPods, pickWorkerPod } from "./observe-pods.js";
import { type ServeAppStatus, serveFailureOf } from "./serve-failure.js";
import {
  type ArgoApplication,
  conditionOf,
  type FirstToken,
  type Judgement,
  type KubeEvent,
  type LitellmView,
  type Obj,
  type Pod,
  type RolloutStep,
  type StepState,
} from "./types.js";

export interface DeployObservation {
  name: string;
  commit: string;
  /** "origin/main" */
  pushedTo: string;
  /** The spec this deploy declared: an in-cluster endpoint with this spec counts as synced. */
  spec: Record<string, unknown>;
  /** undefined: not observed yet; null: the Application does not exist. */
  application: ArgoApplication | null | undefined;
  endpoint: Obj | undefined;
  rayService: Obj | undefined;
  workerPods: Pod[];
  events: KubeEvent[];
  nodeClaims: Obj[];
  nodes: Obj[];
  /** The registration Job KRO creates (<name>-litellm-register). */
  registrationJob: Obj | undefined;
  litellm: LitellmView | undefined;
  firstToken: FirstToken | undefined;
  now: number;
  /** When each named condition was first seen by the follower ("image-pull", "capacity"). */
  firstSeen: Record<string, number>;
  /**
   * Capacity errors seen since the worker pod was last scheduled, by instance type. Karpenter
   * deletes a failed NodeClaim and tries the next type, so one NodeClaim alone never shows that
   * every offering failed: the follower remembers them (see collectCapacityErrors).
   */
  capacityErrors: Record<string, string>;
  /** What KRO renders for this declaration (the RayService's spec); undefined: do not compare. */
  expectedRayServiceSpec?: Record<string, unknown> | undefined;
  /** The last image pull error of the worker pod, kept until the image is pulled (see collectImagePullError). */
  imagePullError: string | undefined;
  limits: { imagePullMs: number; capacityMs: number };
}

export const DEPLOY_STEP_IDS = [
  "pushed",
  "synced",
  "accepted",
  "rayservice",
  "scheduled",
  "node",
  "image",
  "loaded",
  "ready",
  "registered",
  "answered",
] as const;
export type DeployStepId = (typeof DEPLOY_STEP_IDS)[number];

const APP = "llm";

function specMatches(endpoint: Obj | undefined, spec: Record<string, unknown>): boolean {
  const declared = endpoint?.spec;
  if (!declared) return false;
  return Object.entries(spec).every(([k, v]) => declared[k] === v);
}

function judgeSynced(o: DeployObservation): Judgement {
  const app = o.application;
  const short = o.commit.slice(0, 7);
  if (app === undefined) return { done: false, reason: "reading the ArgoCD Application workloads" };
  if (app === null) {
    return {
      done: false,
      reason: "the ArgoCD Application workloads does not exist yet (run `aiplat bootstrap`)",
    };
  }
  const sync = app.status?.sync;
  // A newer commit that still declares this spec is as good as this commit.
  if (sync?.revision === o.commit) return { done: true, reason: `revision ${short}` };
  if (specMatches(o.endpoint, o.spec))
    return { done: true, reason: `the cluster holds ${short}'s declaration` };
  const op = app.status?.operationState;
  const opRevision = op?.syncResult?.revision ?? op?.operation?.sync?.revision;
  if ((op?.phase === "Failed" || op?.phase === "Error") && opRevision === o.commit) {
    return {
      // Stryker disable next-line BooleanLiteral: orderSteps reads `failed` first; a failed judgement's `done` is never read
      done: false,
      failed: true,
      reason: `ArgoCD could not sync ${short}: ${op.message ?? op.phase}`,
    };
  }
  const at = sync?.revision ? ` at ${sync.revision.slice(0, 7)}` : "";
  const message = op?.message && op.phase !== "Succeeded" ? ` — ${op.message}` : "";
  return { done: false, reason: `${sync?.status ?? "Unknown"}${at}, waiting for ${short}${message}` };
}

function judgeAccepted(o: DeployObservation): Judgement {
  if (!o.endpoint) return { done: false, reason: `InferenceEndpoint ${o.name} not in the cluster yet` };
  const state = (o.endpoint.status as { state?: string } | undefined)?.state;
  if (!state) return { done: false, reason: "waiting for KRO to process it (no status yet)" };
  return { done: true, reason: `state ${state}` };
}

/** The parts of a RayService spec a declaration decides: the serve config and the worker group. */
function declaredParts(spec: Record<string, unknown> | undefined): string {
  const cluster = spec?.rayClusterConfig as { workerGroupSpecs?: unknown[] } | undefined;
  const worker = cluster?.workerGroupSpecs?.[0] as
    | {
        minReplicas?: unknown;
        maxReplicas?: unknown;
        template?: { spec?: { containers?: { image?: unknown; resources?: unknown }[] } };
      }
    | undefined;
  const container = worker?.template?.spec?.containers?.[0];
  return JSON.stringify([
    spec?.serveConfigV2,
    worker?.minReplicas,
    worker?.maxReplicas,
    container?.image,
    container?.resources,
  ]);
}

function judgeRayService(o: DeployObservation): Judgement {
  if (!o.rayService) return { done: false, reason: "KRO has not created the RayService yet" };
  if (
    o.expectedRayServiceSpec &&
    declaredParts(o.rayService.spec) !== declaredParts(o.expectedRayServiceSpec)
  ) {
    return { done: false, reason: "the RayService does not carry this declaration yet (KRO applies it)" };
  }
  return { done: true, reason: `RayService ${o.rayService.metadata?.name}` };
}

/** KubeRay has not looked at the RayService's latest spec yet: its status describes the old one. */
function staleStatus(rayService: Obj | undefined): boolean {
  const generation = (rayService?.metadata as { generation?: number } | undefined)?.generation;
  const observed = (rayService?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  // Either one missing is NaN here, and NaN compares false: nothing says the status is stale.
  return Number(observed) < Number(generation);
}

type AppStatuses = Record<string, ServeAppStatus>;
interface ServiceStatus {
  applicationStatuses?: AppStatuses;
  rayClusterName?: string;
}

function appOf(service: ServiceStatus | null | undefined): ServeAppStatus | undefined {
  const apps = service?.applicationStatuses;
  if (!apps) return undefined;
  return apps[APP] ?? Object.values(apps)[0];
}

/**
 * The serve status that matters now. During a zero-downtime upgrade (a changed spec, e.g. after
 * `--force`) KubeRay builds a new RayCluster while the old one keeps serving: the new one
 * (pendingServiceStatus) is what this deploy waits for, not the old one's RUNNING.
 */
function currentServe(rayService: Obj | undefined): { upgrading: boolean; app: ReturnType<typeof appOf> } {
  const status = (rayService?.status ?? {}) as {
    activeServiceStatus?: ServiceStatus | null;
    pendingServiceStatus?: ServiceStatus | null;
  };
  const upgrading =
    conditionOf(rayService, "UpgradeInProgress")?.status === "True" ||
    Boolean(status.pendingServiceStatus?.rayClusterName);
  return {
    upgrading,
    app: upgrading ? appOf(status.pendingServiceStatus) : appOf(status.activeServiceStatus),
  };
}

/** Called only once KubeRay has taken in this declaration (see `applying` in computeDeploySteps). */
function judgeLoaded(o: DeployObservation): Judgement {
  const { upgrading, app } = currentServe(o.rayService);
  const prefix = upgrading ? "upgrade: new RayCluster " : "";
  if (!app?.status) return { done: false, reason: `${prefix}Ray Serve application not started yet` };
  if (app.status === "RUNNING" && !upgrading) return { done: true, reason: "RUNNING" };
  if (app.status === "DEPLOY_FAILED") {
    // Ray Serve names only the failed deployment on the app; the error is on the deployment.
    const failure = serveFailureOf(app);
    return {
      // Stryker disable next-line BooleanLiteral: orderSteps reads `failed` first; a failed judgement's `done` is never read
      done: false,
      failed: true,
      reason: `${prefix}DEPLOY_FAILED: ${failure?.summary ?? "see the Ray dashboard"}`,
      cause: failure?.cause,
    };
  }
  return {
    done: false,
    reason: `${prefix}${app.status}${app.message ? `: ${app.message}` : " (downloading and loading the weights)"}`,
  };
}

/** As judgeLoaded: called only once KubeRay has taken in this declaration. */
function judgeReady(o: DeployObservation): Judgement {
  const ready = conditionOf(o.rayService, "Ready");
  if (currentServe(o.rayService).upgrading)
    return {
      done: false,
      reason: "upgrade in progress: the old RayCluster serves until the new one is ready",
    };
  if (ready?.status === "True") return { done: true };
  return { done: false, reason: ready?.message ?? ready?.reason ?? "RayService not Ready yet" };
}

function judgeRegistered(o: DeployObservation): Judgement {
  if (o.litellm?.models?.includes(o.name)) return { done: true };
  const job = o.registrationJob?.status as
    | { active?: number; failed?: number; succeeded?: number }
    | undefined;
  const jobText = o.registrationJob
    ? `registration Job: ${job?.succeeded ? "succeeded" : job?.failed ? `${job.failed} failed attempt(s)` : "running"}`
    : "registration Job not created yet";
  if (o.litellm?.terminal)
    return {
      // Stryker disable next-line BooleanLiteral: orderSteps reads `failed` first; a failed judgement's `done` is never read
      done: false,
      failed: true,
      reason: o.litellm.error,
    };
  if (o.litellm?.error) return { done: false, reason: `${jobText}; LiteLLM: ${o.litellm.error}` };
  return { done: false, reason: `${jobText}; not in LiteLLM /v1/models yet` };
}

function judgeAnswered(o: DeployObservation): Judgement {
  if (o.firstToken?.ms !== undefined)
    return { done: true, reason: `time to first token ${Math.round(o.firstToken.ms)} ms` };
  if (o.firstToken?.terminal)
    return {
      // Stryker disable next-line BooleanLiteral: orderSteps reads `failed` first; a failed judgement's `done` is never read
      done: false,
      failed: true,
      reason: o.firstToken.error,
    };
  return { done: false, reason: o.firstToken?.error ?? "sending a chat completion through LiteLLM" };
}

export const DEPLOY_STEP_TITLES: Record<DeployStepId, string> = {
  pushed: "Pushed",
  synced: "ArgoCD workloads synced",
  accepted: "InferenceEndpoint accepted",
  rayservice: "RayService created",
  scheduled: "Worker pod scheduled",
  node: "GPU node launched",
  image: "Image pulled",
  loaded: "Model loaded",
  ready: "Ready",
  registered: "Registered in LiteLLM",
  answered: "First completion answered",
};

export function computeDeploySteps(o: DeployObservation): RolloutStep[] {
  const rayservice = judgeRayService(o);
  // Until KubeRay has taken in this declaration, the worker pods on view may be the old ones
  // (a changed endpoint): none of them says anything about this deploy yet.
  const applying = o.rayService !== undefined && (!rayservice.done || staleStatus(o.rayService));
  const pod = applying ? undefined : pickWorkerPod(currentWorkerPods(o.rayService, o.workerPods));
  const waitKubeRay = { done: false, reason: "waiting for KubeRay to apply the change to the RayCluster" };
  const judged: Record<DeployStepId, Judgement> = {
    pushed: { done: true, reason: `${o.commit.slice(0, 7)} to ${o.pushedTo}` },
    synced: judgeSynced(o),
    accepted: judgeAccepted(o),
    rayservice,
    scheduled: applying ? waitKubeRay : judgeScheduled(o, pod),
    node: applying ? waitKubeRay : judgeNode(o, pod),
    image: applying ? waitKubeRay : judgeImage(o, pod),
    // The serve status of a RayService that does not carry this declaration yet is the old one's:
    // its DEPLOY_FAILED (the reason for this deploy) must not fail this rollout.
    loaded: applying ? waitKubeRay : judgeLoaded(o),
    ready: applying ? waitKubeRay : judgeReady(o),
    registered: judgeRegistered(o),
    answered: judgeAnswered(o),
  };
  return orderSteps(DEPLOY_STEP_IDS, judged, DEPLOY_STEP_TITLES);
}

/** First not-done step is active, later ones pending; any failed judgement is reported failed. */
export function orderSteps<K extends string>(
  ids: readonly K[],
  judged: Record<K, Judgement>,
  titles: Record<K, string>,
): RolloutStep[] {
  let activeSeen = false;
  return ids.map((id) => {
    const j = judged[id];
    let state: StepState;
    if (j.failed) state = "failed";
    else if (j.done) state = "done";
    else if (!activeSeen) state = "active";
    else state = "pending";
    if (state === "active" || state === "failed") activeSeen = true;
    return { id, title: titles[id], state, reason: j.reason, ...(j.cause ? { cause: j.cause } : {}) };
  });
}

/** The first failed step: a terminal error, so following stops now. */
export function terminalFailure(steps: readonly RolloutStep[]): RolloutStep | undefined {
  return steps.find((s) => s.state === "failed");
}
