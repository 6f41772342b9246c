/**
 * Every delay of the simulated controllers, in simulated minutes (scaled by timeScale). Defaults
 * follow what users see on EKS: a GPU node joins in ~1.5 minutes, the ~15 GB ray-llm image takes
 * minutes to pull, a 4B model loads in a few minutes, load balancers take ~2 minutes.
 */
export interface Delays {
  imagePullMinutes: number;
  largeImagePullMinutes: number;
  podReadyMinutes: number;
  modelLoadMinutes: number;
  jobMinutes: number;
  nodeLaunchMinutes: number;
  nodeRegisterMinutes: number;
  nodeTerminateMinutes: number;
  capacityUnavailableMinutes: number;
  loadBalancerProvisionMinutes: number;
  loadBalancerDeleteMinutes: number;
  argocdPollMinutes: number;
  devicePluginMinutes: number;
  selfHealMinutes: number;
  /**
   * kube-controller-manager's garbage collector deletes dependents of a deleted owner
   * asynchronously, through its attemptToDelete queue (pkg/controller/garbagecollector): about a
   * second after the owner is gone.
   */
  garbageCollectMinutes: number;

  // --- Cloud side (helper 13c: cloud/, lb/, aws/). Sources: test/support/sim/README.md. ---
  /** EC2 `shutting-down` → `terminated` (EC2 docs, instance lifecycle; minutes in practice). */
  instanceShutdownMinutes: number;
  /** A deleted load balancer's ENIs go "some minutes" later (hashicorp/terraform#3758). */
  lbEniReleaseMinutes: number;
  /** The cluster stage's destroy waits this long for NodePools/EC2NodeClasses to go. */
  clusterDestroyWaitMinutes: number;
  /** The AWS provider retries DependencyViolation on subnet/VPC deletion (subnet delete timeout 20m). */
  networkDestroyRetryMinutes: number;
}

export const DEFAULT_DELAYS: Delays = {
  imagePullMinutes: 0.1,
  largeImagePullMinutes: 4,
  podReadyMinutes: 0.1,
  modelLoadMinutes: 3,
  jobMinutes: 0.2,
  nodeLaunchMinutes: 1,
  nodeRegisterMinutes: 0.5,
  nodeTerminateMinutes: 0.5,
  capacityUnavailableMinutes: 3,
  loadBalancerProvisionMinutes: 2,
  loadBalancerDeleteMinutes: 1,
  argocdPollMinutes: 3,
  devicePluginMinutes: 0.5,
  selfHealMinutes: 0.1,
  garbageCollectMinutes: 0.02,

  // --- Cloud side (helper 13c) ---
  instanceShutdownMinutes: 1,
  lbEniReleaseMinutes: 3,
  clusterDestroyWaitMinutes: 20,
  networkDestroyRetryMinutes: 20,
};

export function resolveDelays(partial: Partial<Delays> = {}): Delays {
  return { ...DEFAULT_DELAYS, ...partial };
}
