/**
 * `aiplat chat [model] [--prompt <text>] [--system <text>]`: LiteLLM forwarded on an ephemeral
 * port, the key read by itself. With --prompt (or text piped on stdin) it answers once to stdout,
 * pipe-friendly; on a terminal it runs the interactive session of chat-repl.ts.
 */
import type { ChatMessage, ChatStreamResult } from "../../adapters/llm/chat-stream.js";
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import {
  KEY_SOURCE,
  type LitellmSession,
  openLitellmSession,
  registeredModels,
  unknownModel,
} from "./litellm-session.js";

export interface ChatOptions {
  prompt?: string | undefined;
  system?: string | undefined;
  maxTokens?: number | undefined;
}

/** "first token 120 ms · 42.0 tokens/s · 17 tokens" (the dim line after every answer). */
export function formatTimings(r: ChatStreamResult): string {
  const parts = [
    r.timeToFirstTokenMs === undefined ? "no tokens" : `first token ${Math.round(r.timeToFirstTokenMs)} ms`,
    ...(r.tokensPerSecond === undefined ? [] : [`${r.tokensPerSecond.toFixed(1)} tokens/s`]),
    `${r.tokens} tokens`,
    `${Math.round(r.totalMs)} ms`,
  ];
  return parts.join(" · ");
}

export function timingsData(r: ChatStreamResult): Record<string, unknown> {
  return {
    timeToFirstTokenMs: r.timeToFirstTokenMs === undefined ? null : Math.round(r.timeToFirstTokenMs),
    totalMs: Math.round(r.totalMs),
    tokens: r.tokens,
    tokensPerSecond: r.tokensPerSecond === undefined ? null : Number(r.tokensPerSecond.toFixed(2)),
  };
}

/** One streamed answer through the session: tokens to `onToken`, errors as ExternalError. */
export async function answer(
  ctx: CommandContext,
  session: LitellmSession,
  model: string,
  messages: readonly ChatMessage[],
  onToken: (text: string) => void,
  signal: AbortSignal,
  maxTokens?: number,
): Promise<ChatStreamResult> {
  const { streamChat } = await import("../../adapters/llm/chat-stream.js");
  return streamChat({
    baseUrl: session.baseUrl,
    apiKey: session.apiKey,
    clock: ctx.clock,
    model,
    messages,
    onToken,
    signal,
    maxTokens,
    keySource: KEY_SOURCE,
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** The model to talk to: the one named (if registered), the only one, or one the user picks. */
export async function chooseModel(
  ctx: CommandContext,
  models: readonly string[],
  named: string | undefined,
): Promise<string> {
  if (named !== undefined) {
    if (!models.includes(named)) throw unknownModel(named, models);
    return named;
  }
  if (models.length === 1) return models[0] as string;
  if (!ctx.io.interactive) {
    throw new UsageError("Several models are registered: name one.", {
      code: "model-required",
      hint: `aiplat chat <model>, with one of: ${models.join(", ")}.`,
      details: { models: [...models] },
    });
  }
  return ctx.io.prompt.select({
    flag: "<model>",
    message: "Model",
    choices: models.map((m) => ({ name: m, value: m })),
  });
}

export async function runChat(
  ctx: CommandContext,
  named: string | undefined,
  options: ChatOptions,
): Promise<void> {
  const invalid = named === undefined ? undefined : endpointOperandError(named, "model name");
  if (invalid) throw invalid;
  if (options.prompt !== undefined && options.prompt.trim() === "")
    throw new UsageError("--prompt is empty.", { code: "empty-prompt" });
  const oneShot = options.prompt !== undefined || !ctx.io.interactive;
  // Read piped text before anything else: a bad prompt is refused before the cluster is asked.
  const prompt = options.prompt ?? (oneShot ? (await readAll(ctx.stdin)).trim() : undefined);
  if (oneShot && !prompt) {
    throw new UsageError("Nothing to ask: pass --prompt <text> or pipe the text on stdin.", {
      code: "empty-prompt",
      hint: 'aiplat chat <model> --prompt "Hello!"  (or run it on a terminal for a conversation)',
    });
  }
  // The openai client is the largest module chat loads: read it while the cluster is asked.
  import("openai").catch(() => undefined);
  const session = await openLitellmSession(ctx, "Chatting");
  try {
    const models = await registeredModels(session, ctx.signal);
    const model = await chooseModel(ctx, models, named);
    if (!oneShot) {
      const { runChatSession } = await import("./chat-repl.js");
      await runChatSession(ctx, session, {
        model,
        models,
        system: options.system,
        maxTokens: options.maxTokens,
      });
      return;
    }
    const messages: ChatMessage[] = [
      ...(options.system ? [{ role: "system" as const, content: options.system }] : []),
      { role: "user", content: prompt as string },
    ];
    const result = await answer(
      ctx,
      session,
      model,
      messages,
      (t) => ctx.io.write(t),
      ctx.signal,
      options.maxTokens,
    );
    if (result.outcome === "stopped") throw new (await import("../../core/errors.js")).InterruptedError();
    ctx.io.write(result.text.endsWith("\n") ? "" : "\n");
    ctx.io.info(ctx.io.style.dim(formatTimings(result)));
    ctx.io.result({ model, answer: result.text, ...timingsData(result) }, "");
  } finally {
    await session.close();
  }
}
