/**
 * The LiteLLM proxy's admin and OpenAI-compatible API (PLATFORM.md, "LiteLLM proxy"):
 * `/v1/models` (names), `/model/info` (deployments with their ids), `/model/new`, `/model/delete`,
 * and a streaming chat completion through the `openai` package that measures time to first token.
 * The master key is only ever sent as a header; errors carry the status and LiteLLM's own words,
 * never the key.
 */
import type { Clock } from "../../core/clock.js";
import { ExternalError } from "../../core/errors.js";
import { type DailyActivityPage, readRequestsServed } from "./litellm-activity.js";

export interface LitellmDeployment {
  /** The public model name (the endpoint name). */
  name: string;
  /** LiteLLM's id of this deployment (for /model/delete). */
  id: string | undefined;
}

export interface FirstTokenResult {
  /** Milliseconds from sending the request to the first streamed content. */
  timeToFirstTokenMs: number;
  totalMs: number;
  text: string;
}

/** `/health/readiness` as LiteLLM answers it: its own status and its database's. */
export interface LitellmHealth {
  /** 200 and status "healthy". */
  healthy: boolean;
  httpStatus: number;
  /** "connected", "Not connected", or the 503 detail when the database check failed. */
  db: string;
  version: string | undefined;
}

export interface LitellmClient {
  readonly baseUrl: string;
  /** Readiness including the database (no key needed; LiteLLM serves it to probes). */
  health(signal?: AbortSignal): Promise<LitellmHealth>;
  listModels(signal?: AbortSignal): Promise<string[]>;
  /**
   * Requests per model name (LiteLLM's model group) between two UTC dates (YYYY-MM-DD, inclusive),
   * from its daily activity (needs its database); undefined when this LiteLLM does not report them.
   */
  requestsServed(
    since: string,
    until: string,
    signal?: AbortSignal,
  ): Promise<Map<string, number> | undefined>;
  modelInfo(signal?: AbortSignal): Promise<LitellmDeployment[]>;
  registerModel(
    registration: { name: string; model: string; apiBase: string },
    signal?: AbortSignal,
  ): Promise<void>;
  deleteModel(id: string, signal?: AbortSignal): Promise<void>;
  firstCompletion(model: string, prompt: string, signal?: AbortSignal): Promise<FirstTokenResult>;
}

export interface LitellmOptions {
  baseUrl: string;
  masterKey: string;
  clock: Clock;
  /** Per-request limit, so a hung proxy never hangs a wait. */
  timeoutMs?: number;
  /** Where the key came from, named when LiteLLM refuses it (401/403). */
  keySource?: string;
}

export const MASTER_KEY_SOURCE = "the secret ai-platform/litellm-secrets (key master-key)";

/** LiteLLM refused the key: terminal, since asking again with the same key cannot succeed. */
function refusedKey(status: number, what: string, keySource: string, cause?: unknown): ExternalError {
  return new ExternalError(`LiteLLM refused the key from ${keySource} (${status}) on ${what}.`, {
    code: "litellm-auth",
    hint: `Check ${keySource}; LiteLLM reads its master key at start, so after changing that secret restart it: \`kubectl -n ai-platform rollout restart deploy/litellm\`.`,
    cause,
    details: { status },
  });
}

/**
 * A signal of its own for one request, following `outer`. The `openai` client adds an abort
 * listener to the signal it is given and never removes it, so handing it the long-lived outer
 * signal on every retry would grow that signal's listeners without bound.
 */
function requestSignal(outer: AbortSignal | undefined): { signal: AbortSignal | undefined; release(): void } {
  if (!outer) return { signal: undefined, release: () => {} };
  const own = new AbortController();
  const forward = () => own.abort(outer.reason);
  if (outer.aborted) own.abort(outer.reason);
  else outer.addEventListener("abort", forward, { once: true });
  return { signal: own.signal, release: () => outer.removeEventListener("abort", forward) };
}

function describeCause(error: unknown): string {
  const e = error as { cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (e.name === "TimeoutError") return "timed out";
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

export function createLitellmClient(options: LitellmOptions): LitellmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const keySource = options.keySource ?? MASTER_KEY_SOURCE;

  async function call<T>(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${options.masterKey}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
    } catch (error) {
      throw new ExternalError(`LiteLLM ${method} ${path} failed: ${describeCause(error)}`, {
        code: "litellm-unreachable",
        hint: "Check the litellm pod: `kubectl -n ai-platform get pods -l app.kubernetes.io/name=litellm`.",
        cause: error,
      });
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403)
      throw refusedKey(response.status, `${method} ${path}`, keySource);
    if (!response.ok) {
      throw new ExternalError(
        `LiteLLM ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`,
        {
          code: "litellm-error",
          hint: "Look at the LiteLLM logs: `kubectl -n ai-platform logs deploy/litellm`.",
          details: { status: response.status },
        },
      );
    }
    try {
      return (text === "" ? {} : JSON.parse(text)) as T;
    } catch (error) {
      throw new ExternalError(`LiteLLM ${method} ${path} did not answer JSON: ${text.slice(0, 200)}`, {
        cause: error,
      });
    }
  }

  return {
    baseUrl,
    async health(signal) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/health/readiness`, {
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]),
        });
      } catch (error) {
        throw new ExternalError(`LiteLLM GET /health/readiness failed: ${describeCause(error)}`, {
          code: "litellm-unreachable",
          cause: error,
        });
      }
      const text = await response.text();
      let body: { status?: string; db?: string; litellm_version?: string; detail?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = { detail: text.slice(0, 200) };
      }
      return {
        healthy: response.ok && body.status === "healthy",
        httpStatus: response.status,
        db: body.db ?? body.detail ?? "unknown",
        version: body.litellm_version,
      };
    },
    async listModels(signal) {
      const answer = await call<{ data?: { id?: string }[] }>("GET", "/v1/models", undefined, signal);
      return (answer.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
    },
    async requestsServed(since, until, signal) {
      return readRequestsServed(
        (path) => call<DailyActivityPage>("GET", path, undefined, signal),
        since,
        until,
      );
    },
    async modelInfo(signal) {
      const answer = await call<{ data?: { model_name?: string; model_info?: { id?: string } }[] }>(
        "GET",
        "/model/info",
        undefined,
        signal,
      );
      return (answer.data ?? [])
        .filter((d) => typeof d.model_name === "string")
        .map((d) => ({ name: d.model_name as string, id: d.model_info?.id }));
    },
    async registerModel(registration, signal) {
      await call(
        "POST",
        "/model/new",
        {
          model_name: registration.name,
          litellm_params: {
            model: `openai/${registration.model}`,
            api_base: registration.apiBase,
            api_key: "none",
          },
        },
        signal,
      );
    },
    async deleteModel(id, signal) {
      await call("POST", "/model/delete", { id }, signal);
    },
    async firstCompletion(model, prompt, signal) {
      const { default: OpenAI } = await import("openai");
      const client = new OpenAI({
        apiKey: options.masterKey,
        baseURL: `${baseUrl}/v1`,
        maxRetries: 0,
        timeout: timeoutMs,
      });
      const started = options.clock.now();
      let first: number | undefined;
      let text = "";
      const request = requestSignal(signal);
      try {
        const stream = await client.chat.completions.create(
          { model, messages: [{ role: "user", content: prompt }], stream: true, max_tokens: 32 },
          { signal: request.signal },
        );
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta?.content ?? "";
          if (delta !== "" && first === undefined) first = options.clock.now();
          text += delta;
        }
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 401 || status === 403)
          throw refusedKey(status, `the chat completion for ${model}`, keySource, error);
        throw new ExternalError(
          `Chat completion for ${model} failed${status ? ` (${status})` : ""}: ${(error as Error).message}`,
          { code: "completion-failed", cause: error, details: status ? { status } : undefined },
        );
      } finally {
        request.release();
      }
      const end = options.clock.now();
      if (first === undefined)
        throw new ExternalError(`Chat completion for ${model} streamed no content.`, {
          code: "completion-empty",
        });
      return { timeToFirstTokenMs: first - started, totalMs: end - started, text };
    },
  };
}

/** Removes every LiteLLM deployment named `name`; returns how many were removed. */
export async function deregisterModel(
  client: LitellmClient,
  name: string,
  signal?: AbortSignal,
): Promise<number> {
  const deployments = (await client.modelInfo(signal)).filter((d) => d.name === name);
  let removed = 0;
  for (const d of deployments) {
    if (d.id === undefined) continue;
    await client.deleteModel(d.id, signal);
    removed += 1;
  }
  return removed;
}
