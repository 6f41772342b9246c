import type { RequestOptions } from "node:http";
import { ExternalError, isAiplatError } from "../../core/errors.js";
import type { KubeClientConfig } from "./client-config.js";

/**
 * HTTP to the API server with the KubeConfig's TLS and auth (custom authenticators such as the
 * EKS token included), transient failures retried, and failures turned into user-facing errors.
 */
export interface HttpResult {
  status: number;
  body: string;
  retryAfter?: string | undefined;
}

export interface KubeHttp {
  server: string;
  requestOptions(
    method: string,
    path: string,
    headers: Record<string, string>,
  ): Promise<{ url: URL; opts: RequestOptions & { headers: Record<string, string> } }>;
  send(method: string, path: string, body?: string, contentType?: string): Promise<HttpResult>;
  apiError(method: string, what: string, result: HttpResult): ExternalError;
}

export function createKubeHttp(config: KubeClientConfig): KubeHttp {
  const server = config.getCurrentCluster()?.server ?? "(no server in kubeconfig)";

  async function requestOptions(method: string, path: string, headers: Record<string, string>) {
    const url = new URL(path, server);
    const opts: RequestOptions & { headers: Record<string, string> } = {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: { Accept: "application/json", ...headers },
    };
    try {
      await config.applyToHTTPSOptions(opts);
    } catch (error) {
      // Expired AWS credentials behind an EKS token are already a precise error (exit 4).
      if (isAiplatError(error)) throw error;
      throw new ExternalError(`Cannot prepare a request to ${server}: ${(error as Error).message}`, {
        code: "kube-auth",
        hint: "Check the kubeconfig or AWS credentials, then run `aiplat doctor`.",
        cause: error,
      });
    }
    return { url, opts };
  }

  /**
   * Every call here is idempotent (GET, server-side apply, merge patch, DELETE), so throttling
   * (429) and transient server errors are retried a few times, honouring Retry-After.
   */
  async function send(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<HttpResult> {
    for (let attempt = 0; ; attempt++) {
      const result = await sendOnce(method, path, body, contentType);
      const transient = result.status === 429 || (result.status >= 500 && result.status <= 504);
      if (!transient || attempt >= 4) return result;
      const retryAfter = Number(result.retryAfter);
      await pause(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(retryAfter * 1000, 5000)
          : 100 * 2 ** attempt,
        new AbortController().signal,
      );
    }
  }

  async function sendOnce(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    // An explicit length: some servers reject a chunked body on DELETE.
    if (body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(body));
    const { url, opts } = await requestOptions(method, path, headers);
    const transport = url.protocol === "http:" ? await import("node:http") : await import("node:https");
    return await new Promise<HttpResult>((resolve, reject) => {
      const req = transport.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            retryAfter: res.headers["retry-after"],
          }),
        );
        res.on("error", (error) => reject(connectionError(error)));
      });
      req.on("error", (error) => reject(connectionError(error)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  function connectionError(error: Error): ExternalError {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return new ExternalError(
      `Cannot reach the Kubernetes API server at ${server}: ${code || error.message}`,
      {
        code: "kube-unreachable",
        hint: "Check network access to the cluster endpoint and your credentials: run `aiplat doctor`.",
        cause: error,
        details: { server, errno: code },
      },
    );
  }

  function apiError(method: string, what: string, result: HttpResult): ExternalError {
    let message = result.body.trim().slice(0, 500);
    let reason: string | undefined;
    try {
      const status = JSON.parse(result.body) as { message?: string; reason?: string };
      if (status.message) message = status.message;
      reason = status.reason;
    } catch {
      // Not a Status object: keep the raw (truncated) body.
    }
    const hint =
      result.status === 401 || result.status === 403
        ? "Check that your identity has access to the cluster (EKS access entry or RBAC): run `aiplat doctor`."
        : undefined;
    return new ExternalError(`Kubernetes API ${method} ${what} failed (${result.status}): ${message}`, {
      code: "kube-api",
      hint,
      details: { status: result.status, reason },
    });
  }

  return { server, requestOptions, send, apiError };
}

export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
