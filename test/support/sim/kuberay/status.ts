import { isConditionTrue, type KubeObject, labelsOf, type Store, tryList } from "../runtime/kube.js";
import { replicaStartupFailure } from "./model-load.js";

/**
 * RayCluster readiness and the RayService status KubeRay 1.5 reports: conditions Ready and
 * UpgradeInProgress, `activeServiceStatus.applicationStatuses.<app>.status` (NOT_STARTED,
 * DEPLOYING, RUNNING, DEPLOY_FAILED, …) with its message and serve deployment statuses
 * (ray-operator/apis/ray/v1/rayservice_types.go).
 */
export interface ServeState {
  clusterUid: string;
  phase: "NOT_STARTED" | "DEPLOYING" | "RUNNING" | "DEPLOY_FAILED";
  /** The exception the model's replicas die with (DEPLOY_FAILED). */
  exception?: string;
  loadingSince?: number;
  /** Hash of the serveConfigV2 the app was deployed with. */
  serveHash?: string;
}

export interface ClusterReadiness {
  ready: boolean;
  headReady: boolean;
  headIP?: string;
  desiredWorkers: number;
  readyWorkers: number;
}

/** The Serve application name the platform's RGD uses (applicationStatuses.llm). */
export const APP_NAME = "llm";

export function clusterReadiness(store: Store, cluster: KubeObject): ClusterReadiness {
  const pods = tryList(store, "v1", "Pod", {
    namespace: cluster.metadata?.namespace,
    labelSelector: `ray.io/cluster=${cluster.metadata?.name}`,
  });
  const head = pods.find((p) => labelsOf(p)["ray.io/node-type"] === "head");
  const spec = (cluster.spec ?? {}) as { workerGroupSpecs?: { replicas?: number; minReplicas?: number }[] };
  const desiredWorkers = (spec.workerGroupSpecs ?? []).reduce(
    (n, g) => n + (g.replicas ?? g.minReplicas ?? 1),
    0,
  );
  const readyWorkers = pods.filter(
    (p) => labelsOf(p)["ray.io/node-type"] === "worker" && isConditionTrue(p, "Ready"),
  ).length;
  const headReady = isConditionTrue(head, "Ready");
  return {
    ready: headReady && readyWorkers >= desiredWorkers,
    headReady,
    headIP: (head?.status as { podIP?: string } | undefined)?.podIP,
    desiredWorkers,
    readyWorkers,
  };
}

export function rayServiceStatus(
  svc: KubeObject,
  clusterName: string,
  state: ServeState,
  modelId: string | undefined,
): Record<string, unknown> {
  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const running = state.phase === "RUNNING";
  const failed = state.phase === "DEPLOY_FAILED";
  const deploymentStatus = running ? "HEALTHY" : "UPDATING";
  const deployments: Record<string, unknown> = {
    OpenAiIngress: { status: failed ? "HEALTHY" : deploymentStatus },
  };
  const llmServer = modelId ? `LLMServer:${modelId.replace(/[^A-Za-z0-9_-]/g, "--")}` : undefined;
  // Ray Serve 2.x: a deployment whose replicas keep failing in their constructor is DEPLOY_FAILED
  // with the error; the application only names it (application_state.py, deployment_state.py).
  if (llmServer)
    deployments[llmServer] = failed
      ? { status: "DEPLOY_FAILED", message: replicaStartupFailure(llmServer, state.exception ?? "") }
      : { status: deploymentStatus };
  const appMessage = failed ? `Failed to update the deployments ['${llmServer ?? "LLMServer"}'].` : undefined;
  const old = (svc.status ?? {}) as {
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
  const since = (type: string, status: string) => {
    const prev = (old.conditions ?? []).find((c) => c.type === type);
    return prev && prev.status === status ? prev.lastTransitionTime : now;
  };
  const readyStatus = running ? "True" : "False";
  const readyReason = running
    ? "NonZeroServeEndpoints"
    : state.phase === "NOT_STARTED"
      ? "Initializing"
      : "ZeroServeEndpoints";
  return {
    observedGeneration: svc.metadata?.generation,
    serviceStatus: running ? "Running" : null,
    numServeEndpoints: running ? 1 : 0,
    conditions: [
      {
        type: "Ready",
        status: readyStatus,
        reason: readyReason,
        message: running
          ? "Number of serve endpoints is greater than 0"
          : "Number of serve endpoints dropped to 0",
        lastTransitionTime: since("Ready", readyStatus),
      },
      {
        type: "UpgradeInProgress",
        status: "False",
        reason: "NoPendingCluster",
        message: "Active Ray cluster exists and no pending Ray cluster",
        lastTransitionTime: since("UpgradeInProgress", "False"),
      },
    ],
    activeServiceStatus: {
      rayClusterName: clusterName,
      applicationStatuses: {
        [APP_NAME]: {
          status: state.phase,
          ...(appMessage ? { message: appMessage } : {}),
          serveDeploymentStatuses: deployments,
        },
      },
    },
  };
}
