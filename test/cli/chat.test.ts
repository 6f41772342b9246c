/**
 * `aiplat chat` against the simulated platform: LiteLLM reached through a port-forward the CLI
 * opens itself, with the key it reads itself. The stand-in echoes the last user message, and logs
 * every request, so what the CLI really sent (the conversation) is checked, not just printed.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { startPlatform } from "./chat-harness.js";

/** The stand-in's deterministic answer: the model asked for and the first words of the question. */
const answerTo = (model: string, prompt: string) =>
  `Hello from ${model}. You said: ${prompt.split(/\s+/).slice(0, 8).join(" ")}`;

describe("aiplat chat --prompt and piped text", () => {
  it("answers once on stdout, timings on stderr, and never prints the key", async () => {
    const { sim, run } = await startPlatform(["gemma"]);
    // Chunks paced as a real server streams them: with every chunk in one read there is no decode
    // time to divide by, and the timings line rightly leaves tokens/s out.
    sim.litellm.slow(3);
    const out = await run(["chat", "--prompt", "Say hello to the platform", "--debug"]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toBe(`${answerTo("gemma", "Say hello to the platform")}\n`);
    expect(out.stdout + out.stderr).not.toContain(sim.litellm.masterKey);
    expect(out.stderr).toMatch(/first token \d+ ms · [\d.]+ tokens\/s · \d+ tokens/);
    // Streamed: the CLI asked for a stream (and usage), through LiteLLM, with the model named.
    expect(sim.litellm.chats()).toMatchObject([
      { model: "gemma", stream: true, messages: [{ role: "user", content: "Say hello to the platform" }] },
    ]);

    const piped = await run(["chat", "gemma", "--system", "Be brief"], { stdinText: "Piped question\n" });
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(`${answerTo("gemma", "Piped question")}\n`);
    expect(sim.litellm.chats().at(-1)?.messages).toEqual([
      { role: "system", content: "Be brief" },
      { role: "user", content: "Piped question" },
    ]);

    const json = await run(["chat", "--prompt", "Count", "--json"]);
    expect(json.exitCode).toBe(0);
    expect(json.json()).toMatchObject({
      ok: true,
      model: "gemma",
      answer: answerTo("gemma", "Count"),
      tokens: expect.any(Number),
      timeToFirstTokenMs: expect.any(Number),
      totalMs: expect.any(Number),
    });
  }, 90_000);

  it("lists the registered models for an unknown one or when several need a choice", async () => {
    const { run } = await startPlatform(["gemma", "qwen"]);
    const unknown = await run(["chat", "llama", "--prompt", "hi"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('LiteLLM has no model "llama"');
    expect(unknown.stderr).toMatch(/Registered models: (gemma, qwen|qwen, gemma)/);
    const several = await run(["chat", "--prompt", "hi", "--json"]);
    expect(several.exitCode).toBe(2);
    expect(several.json()).toMatchObject({ ok: false, error: { code: "model-required" } });
    expect(await run(["chat", "--prompt", " "]).then((r) => r.exitCode)).toBe(2);
  }, 90_000);

  it("reports a stream dropped mid-answer (exit 5), and the next question works", async () => {
    const { sim, run } = await startPlatform(["gemma"]);
    sim.litellm.dropMidStream();
    const dropped = await run(["chat", "--prompt", "First try"]);
    expect(dropped.exitCode).toBe(5);
    expect(dropped.stderr).toContain("was cut before it finished");
    const next = await run(["chat", "--prompt", "Second try"]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout).toContain("You said: Second try");
  }, 90_000);
});

describe("aiplat chat errors", () => {
  it("reports LiteLLM's in-stream error event with its message (exit 5); the next question works", async () => {
    const { sim, run } = await startPlatform(["gemma"]);
    sim.litellm.failMidStream("litellm.APIConnectionError: OpenAIException - Connection error.");
    const failed = await run(["chat", "--prompt", "Doomed question"]);
    expect(failed.exitCode).toBe(5);
    expect(failed.stderr).toContain(
      "The model failed during the chat completion for gemma: litellm.APIConnectionError: OpenAIException - Connection error.",
    );
    const next = await run(["chat", "--prompt", "Next question"]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout).toContain("You said: Next question");
  }, 90_000);
});

describe("aiplat chat session", () => {
  it("keeps the conversation; /system, /model, /reset; a failed answer leaves it and the next works", async () => {
    const { sim, run } = await startPlatform(["gemma", "qwen"]);
    const stdin = new PassThrough();
    const lines = [
      "First question",
      "/system You are terse.",
      "Second \\",
      "question",
      "/model nope",
      "/model qwen",
      "Third question",
      "/reset",
      '"""',
      "A block",
      "of two lines",
      '"""',
      "/exit",
    ];
    stdin.end(`${lines.join("\n")}\n`);
    const out = await run(["chat", "gemma"], { stdin, isTTY: true });
    expect(out.exitCode, out.stderr).toBe(0);
    const chats = sim.litellm.chats();
    expect(chats.map((c) => c.model)).toEqual(["gemma", "gemma", "qwen", "qwen"]);
    expect(chats[1]?.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "First question" },
      { role: "assistant", content: answerTo("gemma", "First question") },
      { role: "user", content: "Second \nquestion" },
    ]);
    expect(chats[2]?.messages?.length).toBe(6);
    expect(chats[3]?.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: "A block\nof two lines" },
    ]);
    expect(out.stderr).toContain('LiteLLM has no model "nope"');
    expect(out.stderr).toContain("Now talking to qwen (conversation kept)");
    expect(out.stdout).toContain("You said: A block of two lines");
  }, 90_000);

  it("a dropped stream is reported inside the session and the next message works", async () => {
    const { sim, run } = await startPlatform(["gemma"]);
    const stdin = new PassThrough();
    sim.litellm.dropMidStream();
    stdin.end("Lost question\nKept question\n/exit\n");
    const out = await run(["chat"], { stdin, isTTY: true });
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stderr).toContain("was cut before it finished");
    const last = sim.litellm.chats().at(-1);
    expect(last?.messages).toEqual([{ role: "user", content: "Kept question" }]);
    expect(out.stdout).toContain("You said: Kept question");
  }, 90_000);
});
