/**
 * Streams one chat completion from a serving engine in the OpenAI/LiteLLM SSE shape: a role chunk,
 * one content chunk per token as the engine emits it, a finish chunk, a usage chunk when
 * `stream_options.include_usage` is set, then `data: [DONE]`. Input length is counted like the
 * bench's approximation (4 characters per token) so the engine sees what the client meant to send.
 */
import type { ServerResponse } from "node:http";
import type { ServingEngine } from "./serving-model.js";

export interface StreamRequest {
  model?: string;
  messages?: { role: string; content: unknown }[];
  max_tokens?: number;
  stream_options?: { include_usage?: boolean };
}

export function inputTokensOf(request: StreamRequest): number {
  const chars = (request.messages ?? []).reduce(
    (n, m) => n + (typeof m.content === "string" ? m.content.length : 0),
    0,
  );
  return Math.max(1, Math.round(chars / 4));
}

/**
 * `words` is the answer (the stand-in's deterministic text, one entry per token). Without
 * `max_tokens` the answer ends with its last word (finish_reason "stop"); with it, exactly
 * `max_tokens` tokens are generated (filler after the answer, finish_reason "length"), as vLLM does
 * for a benchmark that sets `ignore_eos` — so a load test gets the output length it asked for.
 */
export function streamFromEngine(
  engine: ServingEngine,
  request: StreamRequest,
  res: ServerResponse,
  id: string,
  words: readonly string[] = [],
): void {
  const model = request.model ?? "model";
  const created = Math.floor(Date.now() / 1000);
  const inputTokens = inputTokensOf(request);
  const outputTokens = Math.max(1, request.max_tokens ?? (words.length || 16));
  const finish = request.max_tokens === undefined && words.length > 0 ? "stop" : "length";
  const write = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  write(chunk({ role: "assistant", content: "" }, null));
  let emitted = 0;
  const cancel = engine.submit(
    { inputTokens, outputTokens },
    (index) => {
      emitted += 1;
      write(chunk({ content: words[index] ?? (index === 0 ? "token" : " token") }, null));
    },
    (error) => {
      if (error !== undefined) {
        // LiteLLM's in-stream error event when the backend fails after the stream started.
        write({ error: { message: error, type: "BadRequestError", code: "400" } });
      } else {
        write(chunk({}, finish));
        if (request.stream_options?.include_usage) {
          write({
            id,
            object: "chat.completion.chunk",
            created,
            model,
            choices: [],
            usage: {
              prompt_tokens: inputTokens,
              completion_tokens: emitted,
              total_tokens: inputTokens + emitted,
            },
          });
        }
      }
      res.end("data: [DONE]\n\n");
    },
  );
  res.on("close", () => {
    if (!res.writableEnded) cancel();
  });
}
