/**
 * One non-streamed chat completion through LiteLLM (the request shape most OpenAI clients send),
 * on the official `openai` client, never retried: what `aiplat smoke` proves besides the stream.
 */
import type { Clock } from "../../core/clock.js";
import { ExternalError } from "../../core/errors.js";

export interface CompletionResult {
  text: string;
  totalMs: number;
  tokens: number;
}

export async function completeOnce(options: {
  baseUrl: string;
  apiKey: string;
  clock: Clock;
  model: string;
  prompt: string;
  maxTokens?: number | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}): Promise<CompletionResult> {
  const { default: OpenAI } = await import("openai");
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: `${options.baseUrl.replace(/\/+$/, "")}/v1`,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
  });
  const started = options.clock.now();
  try {
    const completion = await client.chat.completions.create(
      {
        model: options.model,
        messages: [{ role: "user", content: options.prompt }],
        ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
      },
      { signal: options.signal },
    );
    const text = completion.choices[0]?.message?.content ?? "";
    return {
      text,
      totalMs: options.clock.now() - started,
      tokens: completion.usage?.completion_tokens ?? 0,
    };
  } catch (error) {
    const e = error as { status?: number; message?: string };
    throw new ExternalError(
      `The completion for ${options.model} failed${e.status ? ` (${e.status})` : ""}: ${e.message ?? String(error)}`,
      { code: e.status === 401 ? "litellm-auth" : "completion-failed", cause: error },
    );
  }
}
