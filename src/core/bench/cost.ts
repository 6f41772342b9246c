/**
 * What the measured throughput means in money and replicas.
 *
 * - $ per million output tokens = the endpoint's GPU nodes' hourly price ÷ output tokens per hour.
 * - Replicas for a target load: the best level's request rate per replica, divided into the target.
 * - Ray Serve's autoscaler scales on `target_ongoing_requests` per replica (Ray Serve docs,
 *   "Advanced autoscaling"): by Little's law the requests in flight per replica at the best level
 *   are its rate per replica × its mean latency, which is what to suggest.
 */

export interface CostInput {
  /** Hourly price of the GPU nodes serving the endpoint during the measurement. */
  hourlyUsd: number;
  /** Replicas serving during the measurement. */
  replicas: number;
  outputTokensPerSecond: number;
  requestsPerSecond: number;
  meanLatencyMs: number;
  targetRequestsPerSecond?: number | undefined;
}

export interface CostReport {
  usdPerMillionOutputTokens?: number | undefined;
  requestsPerSecondPerReplica: number;
  replicasForTarget?: number | undefined;
  suggestedTargetOngoingRequests: number;
}

export function costOf(input: CostInput): CostReport {
  const replicas = Math.max(1, input.replicas);
  const tokensPerHour = input.outputTokensPerSecond * 3600;
  const perReplica = input.requestsPerSecond / replicas;
  const ongoing = perReplica * (input.meanLatencyMs / 1000);
  return {
    usdPerMillionOutputTokens: tokensPerHour > 0 ? (input.hourlyUsd / tokensPerHour) * 1_000_000 : undefined,
    requestsPerSecondPerReplica: perReplica,
    replicasForTarget:
      input.targetRequestsPerSecond !== undefined && perReplica > 0
        ? Math.ceil(input.targetRequestsPerSecond / perReplica - 1e-9)
        : undefined,
    suggestedTargetOngoingRequests: Math.max(1, Math.floor(ongoing)),
  };
}
