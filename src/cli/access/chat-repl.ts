/**
 * The interactive `aiplat chat` session: a line editor on the terminal (stderr carries the prompt,
 * stdout the answers), the conversation kept between turns, `/model`, `/system`, `/reset`,
 * `/exit`, multi-line input (a line ending in `\` continues; `"""` opens and closes a block).
 * Ctrl-C during an answer stops that answer only; at the prompt it ends the session, as Ctrl-D
 * does. A failed answer (dropped stream, in-stream error) is reported and taken out of the
 * conversation, so the next message works.
 */
import { createInterface } from "node:readline";
import type { ChatMessage } from "../../adapters/llm/chat-stream.js";
import type { CommandContext } from "../context.js";
import type { LitellmSession } from "./litellm-session.js";
import { answer, formatTimings } from "./run-chat.js";

export interface ChatSessionOptions {
  model: string;
  models: readonly string[];
  system?: string | undefined;
  maxTokens?: number | undefined;
}

const HELP = [
  "/model [name]   list the registered models, or switch to one (the conversation is kept)",
  "/system [text]  set the system prompt (no text: remove it)",
  "/reset          forget the conversation",
  "/exit           leave (also Ctrl-D; Ctrl-C stops an answer)",
  'Multi-line: end a line with \\ to continue it, or put """ on its own line before and after.',
].join("\n");

export async function runChatSession(
  ctx: CommandContext,
  session: LitellmSession,
  options: ChatSessionOptions,
): Promise<void> {
  const { io } = ctx;
  const input = ctx.stdin;
  const terminal = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output: ctx.terminalOutput, terminal, historySize: 200 });
  let model = options.model;
  let system = options.system;
  let history: ChatMessage[] = [];
  let turns = 0;
  let answering: AbortController | undefined;
  let closed = false;
  // Input ended (Ctrl-D, end of a pipe): lines already read are still answered, no more prompts.
  let inputEnded = false;
  const close = () => {
    closed = true;
    answering?.abort();
    rl.close();
  };
  rl.on("close", () => {
    inputEnded = true;
  });
  // Raw-mode Ctrl-C arrives here, not as a process signal.
  rl.on("SIGINT", () => {
    if (answering) answering.abort();
    else close();
  });
  ctx.signal.addEventListener("abort", close, { once: true });

  const prompt = (continuation = false) => {
    if (closed || inputEnded) return;
    rl.setPrompt(continuation ? "...> " : "you> ");
    rl.prompt();
  };

  const command = async (line: string): Promise<void> => {
    const [name, ...rest] = line.slice(1).split(/\s+/);
    const arg = rest.join(" ").trim();
    switch (name) {
      case "exit":
      case "quit":
        close();
        return;
      case "help":
        io.info(HELP);
        return;
      case "reset":
        history = [];
        io.info("Conversation forgotten.");
        return;
      case "system":
        system = arg === "" ? undefined : arg;
        io.info(system === undefined ? "System prompt removed." : "System prompt set.");
        return;
      case "model": {
        const models = await session.client.listModels(ctx.signal).catch(() => [...options.models]);
        if (arg === "") {
          io.info(models.map((m) => `${m === model ? "*" : " "} ${m}`).join("\n"));
          return;
        }
        if (!models.includes(arg)) {
          io.warn(`LiteLLM has no model "${arg}". Registered models: ${models.join(", ")}.`);
          return;
        }
        model = arg;
        io.info(`Now talking to ${model} (conversation kept).`);
        return;
      }
      default:
        io.warn(`Unknown command /${name}. Commands: /model, /system, /reset, /exit, /help.`);
    }
  };

  const ask = async (text: string): Promise<void> => {
    history.push({ role: "user", content: text });
    const messages: ChatMessage[] = [
      ...(system ? [{ role: "system" as const, content: system }] : []),
      ...history,
    ];
    answering = new AbortController();
    try {
      const result = await answer(
        ctx,
        session,
        model,
        messages,
        (t) => io.write(t),
        AbortSignal.any([answering.signal, ctx.signal]),
        options.maxTokens,
      );
      io.write(result.text.endsWith("\n") || result.text === "" ? "" : "\n");
      history.push({ role: "assistant", content: result.text });
      turns += 1;
      io.info(io.style.dim(`${result.outcome === "stopped" ? "(stopped) " : ""}${formatTimings(result)}`));
    } catch (error) {
      io.write("\n");
      history.pop(); // the question that got no answer leaves the conversation
      io.warn(`${(error as Error).message} Send your message again to retry.`);
    } finally {
      answering = undefined;
    }
  };

  io.info(`Chatting with ${model} through LiteLLM. /help for commands, /exit to leave.`);
  let block: string[] | undefined;
  let continued: string[] = [];
  prompt();
  for await (const raw of rl) {
    if (block !== undefined) {
      if (raw.trim() === '"""') {
        const text = block.join("\n").trim();
        block = undefined;
        if (text) await ask(text);
      } else block.push(raw);
      prompt(block !== undefined);
      continue;
    }
    if (raw.trim() === '"""') {
      block = [];
      prompt(true);
      continue;
    }
    if (raw.endsWith("\\")) {
      continued.push(raw.slice(0, -1));
      prompt(true);
      continue;
    }
    const text = [...continued, raw].join("\n").trim();
    continued = [];
    if (text.startsWith("/")) await command(text);
    else if (text !== "") await ask(text);
    if (closed) break;
    prompt();
  }
  ctx.signal.removeEventListener("abort", close);
  rl.close();
  io.result({ model, turns }, "");
}
