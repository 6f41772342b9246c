/**
 * `aiplat chat [model] [--prompt <text>] [--system <text>]`: LiteLLM forwarded on an ephemeral
 * port, the key read by itself. With --prompt (or text piped on stdin) it answers once to stdout,
 * pipe-friendly; on a terminal it runs the interactive session of chat-repl.ts.
 */
import type { ChatMessage, ChatStreamResult } from "../../adapters/llm/chat-stream.js";
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { InterruptedError, isAiplatError, UsageError } from "../../core/errors.js";
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
    if (oneShot && named !== undefined) {
      // A named model is asked at once: the list is fetched only if LiteLLM does not know it
      // (one round trip less before the first token).
      await answerOnce(ctx, session, named, prompt as string, options, async () => {
        const models = await registeredModels(session, ctx.signal);
        return models.includes(named) ? undefined : unknownModel(named, models);
      });
      return;
    }
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
    await answerOnce(ctx, session, model, prompt as string, options);
  } finally {
    await session.close();
  }
}

/** LiteLLM's answer to a model name it has no deployment for (proxy route_request: 400). */
const isUnknownModel = (error: unknown) =>
  isAiplatError(error) && error.details?.status === 400 && /Invalid model name/i.test(error.message);

/**
 * One question answered to stdout, the timings after it. `whenUnknown` turns LiteLLM's "invalid
 * model" refusal into the error to show (the registered models listed), if the model is unknown.
 */
async function answerOnce(
  ctx: CommandContext,
  session: LitellmSession,
  model: string,
  prompt: string,
  options: ChatOptions,
  whenUnknown?: () => Promise<Error | undefined>,
): Promise<void> {
  const messages: ChatMessage[] = [
    ...(options.system ? [{ role: "system" as const, content: options.system }] : []),
    { role: "user", content: prompt },
  ];
  let result: ChatStreamResult;
  try {
    result = await answer(
      ctx,
      session,
      model,
      messages,
      (t) => ctx.io.write(t),
      ctx.signal,
      options.maxTokens,
    );
  } catch (error) {
    if (whenUnknown !== undefined && isUnknownModel(error)) throw (await whenUnknown()) ?? error;
    throw error;
  }
  if (result.outcome === "stopped") throw new InterruptedError();
  ctx.io.write(result.text.endsWith("\n") ? "" : "\n");
  ctx.io.info(ctx.io.style.dim(formatTimings(result)));
  ctx.io.result({ model, answer: result.text, ...timingsData(result) }, "");
}
