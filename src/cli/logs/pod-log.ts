/**
 * A pod's log through the API server (`GET /api/v1/namespaces/<ns>/pods/<pod>/log`, Kubernetes API
 * reference "Read Log of the specified Pod": container, tailLines, sinceSeconds, previous, follow).
 * Read whole, or followed line by line until the container exits, the pod goes or the signal aborts.
 */
import type { IncomingMessage } from "node:http";
import type { KubeHttp } from "../../adapters/kube/http.js";
import { query } from "../../adapters/kube/resource-paths.js";

export interface LogOptions {
  container?: string | undefined;
  tailLines?: number | undefined;
  sinceSeconds?: number | undefined;
  /** The previous (crashed or OOM-killed) container instance. */
  previous?: boolean | undefined;
}

function logPath(namespace: string, pod: string, options: LogOptions, follow: boolean): string {
  return (
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log` +
    query({
      container: options.container,
      tailLines: options.tailLines === undefined ? undefined : String(options.tailLines),
      sinceSeconds: options.sinceSeconds === undefined ? undefined : String(options.sinceSeconds),
      previous: options.previous ? "true" : undefined,
      follow: follow ? "true" : undefined,
    })
  );
}

export async function readPodLog(
  http: KubeHttp,
  namespace: string,
  pod: string,
  options: LogOptions,
): Promise<string> {
  const path = logPath(namespace, pod, options, false);
  const result = await http.send("GET", path);
  if (result.status >= 400) throw http.apiError("GET", `log of pod ${pod}`, result);
  return result.body;
}

/** Calls onLine for every complete line; resolves when the stream ends or the signal aborts. */
export async function followPodLog(
  http: KubeHttp,
  namespace: string,
  pod: string,
  options: LogOptions,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<void> {
  const { url, opts } = await http.requestOptions("GET", logPath(namespace, pod, options, true), {
    Accept: "text/plain",
  });
  const transport = url.protocol === "http:" ? await import("node:http") : await import("node:https");
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const req = transport.request(opts, (res: IncomingMessage) => {
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if ((res.statusCode ?? 0) >= 400) return;
        buffer += chunk;
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          onLine(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
        }
      });
      const done = () => {
        if (buffer !== "" && (res.statusCode ?? 0) < 400) onLine(buffer);
        buffer = "";
        finish();
      };
      res.on("end", done);
      res.on("error", done);
    });
    const onAbort = () => req.destroy();
    const finish = () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", finish);
    req.end();
  });
}
