/**
 * One streamed chat completion through LiteLLM's OpenAI-compatible API, on the official `openai`
 * client. Tokens are handed to `onToken` as they arrive; the result carries the timings aiplat
 * shows after every answer (time to first token, tokens/s, tokens).
 *
 * Failures are told apart, because the user's next step differs:
 * - 401/403: the key is wrong — terminal, never retried (`maxRetries: 0`);
 * - an in-stream `data: {"error": {...}}` event, which LiteLLM sends when the backend fails after
 *   the stream started (BerriAI/litellm, litellm/proxy/common_request_processing.py,
 *   async_streaming_data_generator; `openai` turns it into an APIError without a status);
 * - a dropped stream (the socket closed before `[DONE]`);
 * - the caller's own abort (Ctrl-C during an answer): not an error, the partial answer is kept.
 * The key is only ever a header; no message built here contains it.
 */
import type { Clock } from "../../core/clock.js";
import { ExternalError } from "../../core/errors.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatStreamOptions {
  baseUrl: string;
  apiKey: string;
  clock: Clock;
  model: string;
  messages: readonly ChatMessage[];
  onToken?: (text: string) => void;
  signal?: AbortSignal | undefined;
  maxTokens?: number | undefined;
  /** Milliseconds until the request gives up (default 120 s: large models are slow to start). */
  timeoutMs?: number | undefined;
  /** Where the key came from, named in a 401 message (e.g. "ai-platform/litellm-secrets"). */
  keySource?: string | undefined;
}

export interface ChatStreamResult {
  text: string;
  /** Milliseconds from the request to the first streamed content; undefined when none came. */
  timeToFirstTokenMs: number | undefined;
  totalMs: number;
  /** LiteLLM's usage count when it sent one, else the number of content chunks. */
  tokens: number;
  /** Tokens per second after the first token; undefined with fewer than two tokens. */
  tokensPerSecond: number | undefined;
  /** "stopped": the caller aborted (the text is what had arrived). */
  outcome: "complete" | "stopped";
}

interface ErrorShape {
  status?: number;
  name?: string;
  message?: string;
  error?: { message?: string };
}

function failure(error: unknown, options: ChatStreamOptions): ExternalError {
  const e = error as ErrorShape;
  const where = `the chat completion for ${options.model}`;
  if (e.status === 401 || e.status === 403) {
    return new ExternalError(`LiteLLM refused the key (${e.status}) for ${where}.`, {
      code: "litellm-auth",
      hint: `The key from ${options.keySource ?? "ai-platform/litellm-secrets (master-key)"} is not LiteLLM's master key: check that secret and restart the litellm Deployment.`,
      cause: error,
      details: { status: e.status },
    });
  }
  if (e.status !== undefined) {
    return new ExternalError(`LiteLLM answered ${e.status} to ${where}: ${e.error?.message ?? e.message}`, {
      code: "completion-failed",
      cause: error,
      details: { status: e.status },
    });
  }
  if (e.name === "APIError" || e.error?.message !== undefined) {
    // The in-stream error event: the stream had started, then the model failed.
    return new ExternalError(`The model failed during ${where}: ${e.error?.message ?? e.message}`, {
      code: "completion-stream-error",
      cause: error,
    });
  }
  return new ExternalError(
    `The stream of ${where} was cut before it finished (${e.message ?? String(error)}).`,
    {
      code: "completion-dropped",
      hint: "The connection to LiteLLM dropped; the next message opens a new one.",
      cause: error,
    },
  );
}

export async function streamChat(options: ChatStreamOptions): Promise<ChatStreamResult> {
  const { default: OpenAI } = await import("openai");
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: `${options.baseUrl.replace(/\/+$/, "")}/v1`,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
  });
  const clock = options.clock;
  const started = clock.now();
  let first: number | undefined;
  let last = started;
  let text = "";
  let chunks = 0;
  let usage: number | undefined;
  let outcome: ChatStreamResult["outcome"] = "complete";
  try {
    const stream = await client.chat.completions.create(
      {
        model: options.model,
        messages: options.messages.map((m) => ({ role: m.role, content: m.content })),
        stream: true,
        stream_options: { include_usage: true },
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
      },
      { signal: options.signal },
    );
    for await (const chunk of stream) {
      if (chunk.usage?.completion_tokens !== undefined) usage = chunk.usage.completion_tokens;
      const delta = chunk.choices[0]?.delta?.content ?? "";
      if (delta === "") continue;
      last = clock.now();
      first ??= last;
      chunks += 1;
      text += delta;
      options.onToken?.(delta);
    }
  } catch (error) {
    if (!options.signal?.aborted) throw failure(error, options);
  }
  // An abort either throws or (inside `openai`'s stream iterator) just ends the stream early.
  if (options.signal?.aborted) outcome = "stopped";
  const end = clock.now();
  const tokens = usage ?? chunks;
  const streaming = first === undefined ? 0 : last - first;
  return {
    text,
    timeToFirstTokenMs: first === undefined ? undefined : first - started,
    totalMs: end - started,
    tokens,
    tokensPerSecond: tokens > 1 && streaming > 0 ? ((tokens - 1) * 1000) / streaming : undefined,
    outcome,
  };
}
