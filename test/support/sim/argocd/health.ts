import { isConditionTrue, type KubeObject } from "../runtime/kube.js";

/**
 * ArgoCD's built-in health assessment (gitops-engine pkg/health) for the kinds the platform syncs.
 * Custom resources without a health check (KRO instances, RGDs, RayServices here) have no health
 * and do not hold the app back, as in ArgoCD without resource customizations.
 */
export type HealthStatus = "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" | "Unknown";

export interface Health {
  status: HealthStatus;
  message?: string;
}

const ORDER: HealthStatus[] = ["Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"];

export function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

export function assessHealth(obj: KubeObject | undefined): Health {
  if (!obj) return { status: "Missing" };
  if (obj.metadata?.deletionTimestamp) return { status: "Progressing", message: "Pending deletion" };
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  switch (obj.kind) {
    case "Deployment": {
      const progressing = ((status.conditions ?? []) as { type: string; reason?: string }[]).find(
        (c) => c.type === "Progressing",
      );
      if (progressing?.reason === "ProgressDeadlineExceeded") {
        return {
          status: "Degraded",
          message: `Deployment "${obj.metadata?.name}" exceeded its progress deadline`,
        };
      }
      const want = (spec.replicas as number | undefined) ?? 1;
      const available = (status.availableReplicas as number | undefined) ?? 0;
      const updated = (status.updatedReplicas as number | undefined) ?? 0;
      if (updated < want)
        return {
          status: "Progressing",
          message: `Waiting for rollout to finish: ${updated} out of ${want} new replicas have been updated...`,
        };
      if (available < want)
        return {
          status: "Progressing",
          message: `Waiting for rollout to finish: ${available} of ${want} updated replicas are available...`,
        };
      return { status: "Healthy" };
    }
    case "StatefulSet":
    case "DaemonSet": {
      const want = (spec.replicas as number | undefined) ?? 1;
      const ready = (status.readyReplicas as number | undefined) ?? 0;
      if (ready < want)
        return { status: "Progressing", message: `Waiting for ${want - ready} pods to be ready...` };
      return {
        status: "Healthy",
        message: `partitioned roll out complete: ${ready} new pods have been updated...`,
      };
    }
    case "Service":
    case "Ingress": {
      const isLb = obj.kind === "Ingress" || spec.type === "LoadBalancer";
      const ingress = ((status.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress ??
        []) as unknown[];
      if (isLb && ingress.length === 0)
        return { status: "Progressing", message: "Waiting for load balancer" };
      return { status: "Healthy" };
    }
    case "PersistentVolumeClaim": {
      const phase = status.phase;
      if (phase === "Bound") return { status: "Healthy" };
      if (phase === "Lost") return { status: "Degraded", message: "PVC is lost" };
      return { status: "Progressing", message: "PVC is not bound yet" };
    }
    case "Pod": {
      const phase = status.phase;
      if (phase === "Failed") return { status: "Degraded", message: String(status.message ?? "pod failed") };
      if (phase === "Running" && isConditionTrue(obj, "Ready")) return { status: "Healthy" };
      return { status: "Progressing", message: String(status.message ?? "pod is not ready") };
    }
    case "Job": {
      if (((status.succeeded as number | undefined) ?? 0) > 0)
        return { status: "Healthy", message: "Job completed" };
      if (isConditionTrue(obj, "Failed")) return { status: "Degraded", message: "Job failed" };
      return { status: "Progressing", message: "Job is running" };
    }
    case "Application": {
      const h = (status.health ?? {}) as { status?: HealthStatus; message?: string };
      return { status: h.status ?? "Unknown", message: h.message };
    }
    default:
      return { status: "Healthy" };
  }
}
