/**
 * Why a pod shows no log (yet), in lines the caller prefixes with the pod: the container's waiting reason (ImagePullBackOff, ErrImagePull,
 * CreateContainerConfigError…), the scheduler's verdict (PodScheduled False: FailedScheduling) and
 * the pod's recent events — what `kubectl describe pod` would show. A container that crashed or
 * was OOM-killed is reported with its last termination, so the caller can show the previous
 * container's last lines (kubectl logs --previous).
 */
import type { ContainerStatus, KubeEvent, Pod } from "../../core/rollout/types.js";

export interface PodDiagnosis {
  /** The container is running or has run: it has a log. */
  hasLog: boolean;
  /** Lines explaining why it has not started, or why it restarted. */
  lines: string[];
  /** The previous container instance terminated (crash, OOMKilled): read its log with previous=true. */
  previousTerminated: boolean;
}

const RECENT_EVENTS = 5;

function eventTime(e: KubeEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "";
}

type StatusWithLast = ContainerStatus & {
  lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
};

export function diagnosePod(pod: Pod, events: readonly KubeEvent[]): PodDiagnosis {
  const name = pod.metadata?.name ?? "?";
  const status = (pod.status?.containerStatuses?.[0] ?? {}) as StatusWithLast;
  const running = status.state?.running !== undefined;
  const terminated = status.state?.terminated !== undefined;
  const waiting = status.state?.waiting;
  const last = status.lastState?.terminated;
  const lines: string[] = [];
  const previousTerminated = last !== undefined;
  if (!running && !terminated) {
    const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (waiting?.reason) {
      lines.push(`not started: ${waiting.reason}${waiting.message ? ` — ${waiting.message}` : ""}`);
    } else if (scheduled?.status === "False") {
      lines.push(
        `not scheduled: ${scheduled.reason ?? "Unschedulable"}${scheduled.message ? ` — ${scheduled.message}` : ""}`,
      );
    } else {
      lines.push(`not started yet (phase ${pod.status?.phase ?? "Pending"}).`);
    }
  }
  if (last) {
    const restarts = status.restartCount ?? 0;
    lines.push(
      `container ${status.name ?? "?"} restarted ${restarts} time(s); last exit: ${last.reason ?? "?"} (exit code ${last.exitCode ?? "?"})${last.reason === "OOMKilled" ? " — it ran out of memory: raise --worker-memory or lower --max-model-len" : ""}.`,
    );
  }
  if (lines.length > 0) {
    const mine = events
      .filter((e) => e.involvedObject?.name === name && (e.type === "Warning" || !running))
      .sort((a, b) => eventTime(a).localeCompare(eventTime(b)))
      .slice(-RECENT_EVENTS);
    for (const e of mine) lines.push(`  event ${e.reason ?? "?"}: ${e.message ?? ""}`.trimEnd());
  }
  return { hasLog: running || terminated, lines, previousTerminated };
}
