import type { KubeObject } from "../runtime/kube.js";

/** Container statuses as the kubelet reports them: waiting (with the reason) or running. */
export function containerStatuses(
  pod: KubeObject,
  state: "waiting" | "running",
  reason?: string,
  message?: string,
  ready = false,
): Record<string, unknown>[] {
  const containers = ((pod.spec as { containers?: { name?: string; image?: string }[] }).containers ??
    []) as {
    name?: string;
    image?: string;
  }[];
  return containers.map((c) => ({
    name: c.name,
    image: c.image,
    imageID: state === "running" ? `${c.image}@sha256:0` : "",
    ready,
    started: state === "running",
    restartCount: 0,
    state:
      state === "running"
        ? { running: { startedAt: `${new Date().toISOString().slice(0, 19)}Z` } }
        : { waiting: { reason, ...(message ? { message } : {}) } },
  }));
}
