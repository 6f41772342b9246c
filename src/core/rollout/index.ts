export {
  computeDeploySteps,
  DEPLOY_STEP_IDS,
  DEPLOY_STEP_TITLES,
  type DeployObservation,
  type DeployStepId,
  orderSteps,
  terminalFailure,
} from "./deploy-steps.js";
export {
  collectCapacityErrors,
  collectImagePullError,
  timedConditions,
  trackFirstSeen,
} from "./follow-memory.js";
export {
  claimsForPod,
  currentRayCluster,
  currentWorkerPods,
  GPU_NODEPOOL,
  INSTANCE_TYPE_LABEL,
  imagePullState,
  isScheduled,
  NODEPOOL_LABEL,
  pickWorkerPod,
} from "./observe-pods.js";
export { type ServeFailure, type ServeFailureCause, serveFailureOf } from "./serve-failure.js";
export type {
  ArgoApplication,
  Condition,
  FirstToken,
  KubeEvent,
  LitellmView,
  Obj,
  Pod,
  RolloutStep,
  StepState,
} from "./types.js";
export { conditionOf } from "./types.js";
export { computeUndeploySteps, UNDEPLOY_STEP_IDS, type UndeployObservation } from "./undeploy-steps.js";
