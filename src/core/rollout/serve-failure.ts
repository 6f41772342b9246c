/**
 * Why a Ray Serve application failed, in the words that name the cause. Ray Serve 2.x reports a
 * failed app as `DEPLOY_FAILED` with only "Failed to update the deployments [...]"; the error is on
 * the deployment whose replicas kept dying (`serveDeploymentStatuses.<name>.message`: "The
 * deployment failed to start 3 times in a row. … Error:\n<traceback>" — ray serve/_private/
 * deployment_state.py, copied by KubeRay into the RayService status). The traceback's exception is
 * what a user can act on; two causes have a known fix:
 *
 * - "gated-model": huggingface_hub's GatedRepoError (401 without a token, 403 without access).
 * - "gpu-memory": torch's CUDA out of memory, or vLLM finding no room for the KV cache.
 */

export type ServeFailureCause = "gated-model" | "gpu-memory";

export interface ServeFailure {
  /** The exception (or Ray's own message when there is none), short enough for one line. */
  summary: string;
  cause?: ServeFailureCause | undefined;
}

export interface ServeAppStatus {
  status?: string;
  message?: string;
  serveDeploymentStatuses?: Record<string, { status?: string; message?: string }>;
}

const SUMMARY_MAX = 400;
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(Error|Exception)(:|$)/;

const CAUSES: [ServeFailureCause, RegExp][] = [
  ["gated-model", /GatedRepoError|Cannot access gated repo|Access to model \S+ is restricted/],
  [
    "gpu-memory",
    /CUDA out of memory|OutOfMemoryError|No available memory for the cache blocks|stored in KV cache|KV cache is needed/,
  ],
];

/** The exception of a Ray error message: after "Error:", without the actor line and the frames. */
function exceptionOf(message: string): string {
  const marker = message.indexOf("Error:\n");
  const body = marker >= 0 ? message.slice(marker + "Error:\n".length) : message;
  const lines = body.split("\n");
  const start = lines.findIndex((l) => EXCEPTION_LINE.test(l));
  const kept =
    start >= 0
      ? lines.slice(start)
      : lines.filter((l) => !l.startsWith("ray::") && !l.startsWith(" ") && !l.startsWith("Traceback"));
  return kept
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
}

function shorten(text: string): string {
  if (text.length <= SUMMARY_MAX) return text;
  const cut = text.slice(0, SUMMARY_MAX);
  const sentence = cut.lastIndexOf(". ");
  return `${sentence > 0 ? cut.slice(0, sentence + 1) : cut} …`;
}

/** The failure of a Serve app that is not RUNNING, or undefined when nothing says why. */
export function serveFailureOf(app: ServeAppStatus | undefined): ServeFailure | undefined {
  if (!app) return undefined;
  const failing = Object.values(app.serveDeploymentStatuses ?? {}).filter(
    (d) => d.message && (d.status === "DEPLOY_FAILED" || d.status === "UNHEALTHY"),
  );
  const text = failing.map((d) => exceptionOf(d.message as string)).find(Boolean) ?? app.message;
  if (!text) return undefined;
  const cause = CAUSES.find(([, pattern]) => pattern.test(text))?.[0];
  return { summary: shorten(text), cause };
}
