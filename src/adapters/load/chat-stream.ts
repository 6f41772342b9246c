/**
 * One streamed chat completion for the load generator, on plain node:http with a keep-alive agent.
 * The `openai` client (which `chat` uses) costs too much per request to drive thousands of
 * requests a second from one core, and a load generator must never be the bottleneck; the wire
 * format is the same OpenAI streaming shape: `data: {json}` events, `data: [DONE]` at the end, and
 * LiteLLM's in-stream `data: {"error": {...}}` when the backend fails mid-answer.
 * Output tokens: the final usage chunk when the server sends one (`stream_options.include_usage`),
 * else one per content chunk (vLLM streams one token per chunk).
 */
import * as http from "node:http";
import * as https from "node:https";
import type { RequestSample } from "../../core/bench/stats.js";

export interface ChatTarget {
  baseUrl: string;
  /** Sent only as the Authorization header. */
  apiKey: string;
  model: string;
  /** One keep-alive agent per run: connections are reused across requests. */
  agent: http.Agent;
  timeoutMs: number;
}

/**
 * The requests of one level in flight: one abort listener for all of them (a listener per request
 * would pass Node's MaxListeners warning at 11 concurrent requests and cost memory per request).
 */
export class InFlight {
  private readonly requests = new Set<http.ClientRequest>();
  constructor(readonly signal: AbortSignal) {
    signal.addEventListener("abort", () => this.abortAll(), { once: true });
  }
  add(request: http.ClientRequest): void {
    if (this.signal.aborted) request.destroy(new Error("interrupted"));
    else this.requests.add(request);
  }
  delete(request: http.ClientRequest): void {
    this.requests.delete(request);
  }
  private abortAll(): void {
    for (const request of this.requests) request.destroy(new Error("interrupted"));
    this.requests.clear();
  }
}

export function keepAliveAgent(baseUrl: string, maxSockets: number): http.Agent {
  const Agent = baseUrl.startsWith("https:") ? https.Agent : http.Agent;
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

interface StreamState {
  firstTokenAt?: number | undefined;
  chunks: number;
  usageTokens?: number | undefined;
  error?: string | undefined;
  done: boolean;
}

function readEvent(data: string, state: StreamState, now: () => number): void {
  if (data === "[DONE]") {
    state.done = true;
    return;
  }
  let event: {
    choices?: { delta?: { content?: string | null } }[];
    usage?: { completion_tokens?: number } | null;
    error?: { message?: string } | string;
  };
  try {
    event = JSON.parse(data);
  } catch {
    state.error = "malformed stream event";
    return;
  }
  if (event.error !== undefined) {
    const message = typeof event.error === "string" ? event.error : (event.error.message ?? "error");
    state.error = `in-stream error: ${message.slice(0, 120)}`;
    return;
  }
  const content = event.choices?.[0]?.delta?.content;
  if (typeof content === "string" && content.length > 0) {
    state.firstTokenAt ??= now();
    state.chunks += 1;
  }
  if (typeof event.usage?.completion_tokens === "number") state.usageTokens = event.usage.completion_tokens;
}

/**
 * Sends one request and resolves (never rejects) with what was measured. `now` is the run's clock
 * (ms since the level started); `scheduledAt` is when the request should have gone out.
 */
export function streamChat(
  target: ChatTarget,
  prompt: string,
  maxTokens: number,
  scheduledAt: number,
  now: () => number,
  inFlight: InFlight,
): Promise<RequestSample> {
  const sentAt = now();
  const body = JSON.stringify({
    model: target.model,
    messages: [{ role: "user", content: prompt }],
    max_tokens: maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  });
  const url = new URL(`${target.baseUrl.replace(/\/+$/, "")}/v1/chat/completions`);
  const client = url.protocol === "https:" ? https : http;
  const state: StreamState = { chunks: 0, done: false };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      const failure = error ?? state.error ?? (state.done ? undefined : "stream ended before [DONE]");
      resolve({
        scheduledAt,
        sentAt,
        firstTokenAt: state.firstTokenAt,
        endedAt: now(),
        outputTokens: state.usageTokens ?? state.chunks,
        ok: failure === undefined,
        error: failure,
      });
    };
    const request = client.request(
      url,
      {
        method: "POST",
        agent: target.agent,
        timeout: target.timeoutMs,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${target.apiKey}`,
          accept: "text/event-stream",
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          response.resume();
          response.on("end", () => finish(`HTTP ${status}`));
          response.on("error", () => finish(`HTTP ${status}`));
          return;
        }
        response.setEncoding("utf8");
        let buffer = "";
        response.on("data", (text: string) => {
          buffer += text;
          let boundary = buffer.indexOf("\n");
          while (boundary >= 0) {
            const line = buffer.slice(0, boundary).trim();
            buffer = buffer.slice(boundary + 1);
            if (line.startsWith("data:")) readEvent(line.slice(5).trim(), state, now);
            boundary = buffer.indexOf("\n");
          }
        });
        response.on("end", () => finish());
        response.on("error", () => finish("stream dropped"));
        response.on("aborted", () => finish("stream dropped"));
      },
    );
    inFlight.add(request);
    request.on("close", () => inFlight.delete(request));
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", (error: NodeJS.ErrnoException) => {
      finish(inFlight.signal.aborted ? "interrupted" : (error.code ?? error.message));
    });
    request.end(body);
  });
}
