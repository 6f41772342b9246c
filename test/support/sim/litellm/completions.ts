import type { Random } from "../runtime/random.js";

/**
 * OpenAI chat completion bodies as LiteLLM returns them: a deterministic answer (seeded), usage
 * counted in whitespace tokens, and the streaming form — a role chunk, one chunk per token, a
 * finish chunk, and a usage chunk when `stream_options.include_usage` is set.
 */
export interface ChatRequest {
  model?: string;
  messages?: { role: string; content: unknown }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
}

function answerFor(request: ChatRequest): { text: string; promptTokens: number } {
  const messages = request.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const prompt = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
  const promptTokens = messages.reduce(
    (n, m) =>
      n +
      String(typeof m.content === "string" ? m.content : "")
        .split(/\s+/)
        .filter(Boolean).length,
    0,
  );
  const echo = prompt.split(/\s+/).filter(Boolean).slice(0, 8).join(" ");
  let text = `Hello from ${request.model}. You said: ${echo}`;
  if (request.max_tokens !== undefined)
    text = text.split(" ").slice(0, Math.max(1, request.max_tokens)).join(" ");
  return { text, promptTokens: Math.max(1, promptTokens) };
}

const tokensOf = (text: string): string[] => text.split(/(?<= )/);

/** The answer's tokens, for the serving model to pace (serving-stream.ts). */
export function completionWords(request: ChatRequest): string[] {
  return tokensOf(answerFor({ ...request, max_tokens: undefined }).text);
}

export function chatCompletion(
  request: ChatRequest,
  served: string,
  random: Random,
): Record<string, unknown> {
  const { text, promptTokens } = answerFor(request);
  const completion = tokensOf(text).length;
  return {
    id: `chatcmpl-${random.hex(24)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: served,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completion,
      total_tokens: promptTokens + completion,
    },
  };
}

export function* completionChunks(
  request: ChatRequest,
  served: string,
  random: Random,
): Generator<Record<string, unknown>> {
  const { text, promptTokens } = answerFor(request);
  const id = `chatcmpl-${random.hex(24)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: served,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  yield chunk({ role: "assistant", content: "" }, null);
  const tokens = tokensOf(text);
  for (const token of tokens) yield chunk({ content: token }, null);
  yield chunk({}, "stop");
  if (request.stream_options?.include_usage) {
    yield {
      id,
      object: "chat.completion.chunk",
      created,
      model: served,
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: tokens.length,
        total_tokens: promptTokens + tokens.length,
      },
    };
  }
}
