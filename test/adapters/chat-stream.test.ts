/**
 * streamChat against a local OpenAI-compatible server speaking LiteLLM's streaming wire format
 * (server-sent events, `data: {...}` chunks, `data: [DONE]`), in process, so the tests reach the
 * adapter directly (the CLI and simulator suites reach it only through the built dist/). The clock
 * is scripted, so every timing below is exact.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ChatStreamOptions, streamChat } from "../../src/adapters/llm/chat-stream.js";
import type { Clock } from "../../src/core/clock.js";

const KEY = "sk-master-key-for-the-stream-tests";

interface Received {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server whose one handler answers every request; resolves with its base URL and what it received. */
async function serve(
  answer: (res: ServerResponse, req: IncomingMessage) => void,
): Promise<{ baseUrl: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      received.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        body: JSON.parse(body || "{}") as Record<string, unknown>,
      });
      answer(res, req);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, received };
}

const chunk = (content: string | undefined, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gemma-4b",
    choices: content === undefined ? [] : [{ index: 0, delta: { content }, finish_reason: null }],
    ...extra,
  })}\n\n`;

function sse(res: ServerResponse, events: string[], end = true): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const event of events) res.write(event);
  if (end) res.end("data: [DONE]\n\n");
}

/** Returns the given instants in order, one per call (started, each token, end). */
function scriptedClock(...instants: number[]): Clock {
  let i = 0;
  return {
    now: () => instants[Math.min(i++, instants.length - 1)] as number,
    sleep: async () => {},
  };
}

function options(baseUrl: string, clock: Clock, more: Partial<ChatStreamOptions> = {}): ChatStreamOptions {
  return {
    baseUrl,
    apiKey: KEY,
    clock,
    model: "gemma-4b",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi?" },
    ],
    ...more,
  };
}

describe("one streamed chat completion", () => {
  it("sends the model, the messages and the key, and hands tokens over in order with exact timings", async () => {
    const { baseUrl, received } = await serve((res) =>
      sse(res, [
        chunk("Hel"),
        chunk(""),
        chunk("lo"),
        chunk(" there"),
        chunk(undefined, { usage: { completion_tokens: 4 } }),
      ]),
    );
    const tokens: string[] = [];
    // started 1000; tokens at 1050, 1060, 1080; end 1100.
    const result = await streamChat(
      options(`${baseUrl}//`, scriptedClock(1000, 1050, 1060, 1080, 1100), {
        onToken: (t) => tokens.push(t),
      }),
    );
    expect(tokens).toEqual(["Hel", "lo", " there"]);
    expect(result).toEqual({
      text: "Hello there",
      timeToFirstTokenMs: 50,
      totalMs: 100,
      tokens: 4,
      // LiteLLM's usage count (4) over the streaming time after the first token (30 ms).
      tokensPerSecond: (3 * 1000) / 30,
      outcome: "complete",
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/v1/chat/completions",
      authorization: `Bearer ${KEY}`,
    });
    expect(received[0]?.body).toEqual({
      model: "gemma-4b",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi?" },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("asks for max_tokens only when given, and counts content chunks when LiteLLM sends no usage", async () => {
    const { baseUrl, received } = await serve((res) => sse(res, [chunk("a"), chunk("b")]));
    const result = await streamChat(options(baseUrl, scriptedClock(0, 10, 30, 40), { maxTokens: 64 }));
    expect(received[0]?.body.max_tokens).toBe(64);
    expect(result).toMatchObject({ text: "ab", tokens: 2, timeToFirstTokenMs: 10, totalMs: 40 });
    expect(result.tokensPerSecond).toBe(1000 / 20);
  });

  it("has no rate for a single token and no first token for an empty answer", async () => {
    const single = await serve((res) => sse(res, [chunk("only")]));
    expect(await streamChat(options(single.baseUrl, scriptedClock(0, 7, 9)))).toMatchObject({
      tokens: 1,
      timeToFirstTokenMs: 7,
      tokensPerSecond: undefined,
    });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    // LiteLLM counts one token over two chunks: still no rate (it needs a second token).
    const counted = await serve((res) =>
      sse(res, [chunk("on"), chunk("ly"), chunk(undefined, { usage: { completion_tokens: 1 } })]),
    );
    expect(await streamChat(options(counted.baseUrl, scriptedClock(0, 7, 9, 12)))).toMatchObject({
      tokens: 1,
      tokensPerSecond: undefined,
    });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const empty = await serve((res) => sse(res, [chunk("")]));
    expect(await streamChat(options(empty.baseUrl, scriptedClock(0, 5)))).toEqual({
      text: "",
      timeToFirstTokenMs: undefined,
      totalMs: 5,
      tokens: 0,
      tokensPerSecond: undefined,
      outcome: "complete",
    });
  });

  it("a 401 or 403 is the key's fault: named by its source, the key itself never in the message", async () => {
    for (const status of [401, 403]) {
      const { baseUrl } = await serve((res) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "Authentication Error, invalid key" } }));
      });
      const error = await streamChat(
        options(baseUrl, scriptedClock(0), { keySource: "ai-platform/litellm-secrets (master-key)" }),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "litellm-auth",
        exitCode: 5,
        message: `LiteLLM refused the key (${status}) for the chat completion for gemma-4b.`,
        hint: "The key from ai-platform/litellm-secrets (master-key) is not LiteLLM's master key: check that secret and restart the litellm Deployment.",
        details: { status },
      });
      expect(JSON.stringify(error)).not.toContain(KEY);
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    }
  });

  it("another HTTP error names the status and LiteLLM's message", async () => {
    const { baseUrl } = await serve((res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Invalid model name passed in model=nope" } }));
    });
    await expect(streamChat(options(baseUrl, scriptedClock(0)))).rejects.toMatchObject({
      code: "completion-failed",
      message:
        "LiteLLM answered 400 to the chat completion for gemma-4b: Invalid model name passed in model=nope",
      details: { status: 400 },
    });
  });

  it("an error event inside the stream is the model failing after it started", async () => {
    const { baseUrl } = await serve((res) =>
      sse(
        res,
        [chunk("Par"), `data: ${JSON.stringify({ error: { message: "CUDA out of memory" } })}\n\n`],
        false,
      ),
    );
    const tokens: string[] = [];
    await expect(
      streamChat(options(baseUrl, scriptedClock(0, 1, 2), { onToken: (t) => tokens.push(t) })),
    ).rejects.toMatchObject({
      code: "completion-stream-error",
      message: "The model failed during the chat completion for gemma-4b: CUDA out of memory",
    });
    expect(tokens).toEqual(["Par"]);
  });

  it("a stream cut before [DONE] is reported as dropped, with what to do", async () => {
    const { baseUrl } = await serve((res) => {
      sse(res, [chunk("Half")], false);
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await streamChat(options(baseUrl, scriptedClock(0, 1, 2))).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "completion-dropped",
      hint: "The connection to LiteLLM dropped; the next message opens a new one.",
    });
    expect((error as Error).message).toMatch(
      /^The stream of the chat completion for gemma-4b was cut before it finished \(.+\)\.$/,
    );
  });

  it("the caller's abort keeps the partial answer and is no error", async () => {
    const controller = new AbortController();
    const { baseUrl } = await serve((res) => sse(res, [chunk("Once upon")], false));
    const result = await streamChat(
      options(baseUrl, scriptedClock(0, 3, 8), {
        signal: controller.signal,
        onToken: () => setTimeout(() => controller.abort(), 5),
      }),
    );
    expect(result).toMatchObject({ text: "Once upon", outcome: "stopped", timeToFirstTokenMs: 3 });
  });
});
