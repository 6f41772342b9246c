import { getEventListeners } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLitellmClient, deregisterModel } from "../../src/adapters/llm/litellm.js";
import type { Clock } from "../../src/core/clock.js";
import { ExternalError } from "../../src/core/errors.js";

const KEY = "sk-test-master-key-0123456789";

/** A small LiteLLM stand-in: the admin endpoints and an SSE chat stream, behind the master key. */
function startFakeLitellm(onFirstChunk: () => void) {
  const models: {
    model_name: string;
    model_info: { id: string };
    litellm_params: Record<string, unknown>;
  }[] = [];
  const seen: { method?: string; url?: string; auth?: string; body?: unknown }[] = [];
  let nextId = 1;
  const read = (req: IncomingMessage) =>
    new Promise<unknown>((resolve) => {
      let text = "";
      req.on("data", (c) => {
        text += c;
      });
      req.on("end", () => resolve(text ? JSON.parse(text) : undefined));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${KEY}`)
      return json(401, { error: { message: "Authentication Error" } });
    if (req.url === "/v1/models")
      return json(200, { data: models.map((m) => ({ id: m.model_name, object: "model" })) });
    if (req.url === "/model/info") return json(200, { data: models });
    if (req.url === "/model/new") {
      const b = body as { model_name: string; litellm_params: Record<string, unknown> };
      models.push({
        model_name: b.model_name,
        litellm_params: b.litellm_params,
        model_info: { id: `id-${nextId++}` },
      });
      return json(200, { ok: true });
    }
    if (req.url === "/model/delete") {
      const id = (body as { id: string }).id;
      const i = models.findIndex((m) => m.model_info.id === id);
      if (i < 0) return json(404, { error: { message: `model ${id} not found` } });
      models.splice(i, 1);
      return json(200, { ok: true });
    }
    if (req.url === "/v1/chat/completions") {
      const model = (body as { model: string }).model;
      if (!models.some((m) => m.model_name === model))
        return json(400, { error: { message: `Invalid model name ${model}` } });
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      res.write(
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta: { role: "assistant" }, finish_reason: null }] })}\n\n`,
      );
      onFirstChunk();
      res.write(chunk("Hello"));
      res.write(chunk(" there"));
      res.end("data: [DONE]\n\n");
      return;
    }
    json(404, { error: { message: "not found" } });
  });
  return new Promise<{ url: string; seen: typeof seen; stop: () => Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        stop: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("the LiteLLM client", () => {
  it("registers, lists, measures time to first token on a real SSE stream, and deregisters", async () => {
    let now = 1000;
    const clock: Clock = { now: () => now, sleep: async () => {} };
    const fake = await startFakeLitellm(() => {
      now += 250; // the first content chunk arrives 250 ms (of this clock) after the request
    });
    stop = fake.stop;
    const client = createLitellmClient({ baseUrl: `${fake.url}/`, masterKey: KEY, clock });
    await client.registerModel({
      name: "gemma-4b",
      model: "google/gemma-3-4b-it",
      apiBase: "http://gemma-4b-serve-svc.inference.svc.cluster.local:8000/v1",
    });
    expect(fake.seen.at(-1)?.body).toEqual({
      model_name: "gemma-4b",
      litellm_params: {
        model: "openai/google/gemma-3-4b-it",
        api_base: "http://gemma-4b-serve-svc.inference.svc.cluster.local:8000/v1",
        api_key: "none",
      },
    });
    expect(await client.listModels()).toEqual(["gemma-4b"]);
    expect(await client.modelInfo()).toEqual([{ name: "gemma-4b", id: "id-1" }]);

    const answer = await client.firstCompletion("gemma-4b", "Say hello");
    expect(answer).toMatchObject({ timeToFirstTokenMs: 250, text: "Hello there" });
    expect(fake.seen.every((r) => r.auth === `Bearer ${KEY}`)).toBe(true);

    expect(await deregisterModel(client, "gemma-4b")).toBe(1);
    expect(await client.listModels()).toEqual([]);
    expect(await deregisterModel(client, "gemma-4b")).toBe(0);
  });

  it("reports refusals with the status and LiteLLM's words, never the key", async () => {
    const fake = await startFakeLitellm(() => {});
    stop = fake.stop;
    const clock: Clock = { now: () => 0, sleep: async () => {} };
    const wrong = createLitellmClient({ baseUrl: fake.url, masterKey: "sk-wrong-key", clock });
    const error = await wrong.listModels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect((error as ExternalError).code).toBe("litellm-auth");
    expect((error as ExternalError).message).toBe(
      "LiteLLM refused the key from the secret ai-platform/litellm-secrets (key master-key) (401) on GET /v1/models.",
    );
    expect((error as ExternalError).hint).toContain("rollout restart deploy/litellm");
    const completion = await wrong.firstCompletion("gemma-4b", "hi").catch((e: unknown) => e);
    expect((completion as ExternalError).code).toBe("litellm-auth");
    expect((completion as ExternalError).message).toContain("(401) on the chat completion for gemma-4b");
    expect(JSON.stringify({ m: (error as Error).message, h: (error as ExternalError).hint })).not.toContain(
      "sk-wrong-key",
    );

    const right = createLitellmClient({ baseUrl: fake.url, masterKey: KEY, clock });
    const unknown = await right.firstCompletion("nope", "hi").catch((e: unknown) => e);
    expect((unknown as Error).message).toContain("Chat completion for nope failed (400)");
    expect((unknown as Error).message).not.toContain(KEY);
  });

  it("adds no abort listener per completion to the caller's signal (the openai client never removes its own)", async () => {
    const fake = await startFakeLitellm(() => {});
    stop = fake.stop;
    const clock: Clock = { now: () => 0, sleep: async () => {} };
    const client = createLitellmClient({ baseUrl: fake.url, masterKey: KEY, clock });
    const following = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      // More retries than EventTarget's default limit of 10 listeners.
      for (let attempt = 0; attempt < 15; attempt++) {
        const failed = await client.firstCompletion("nope", "hi", following.signal).catch((e: unknown) => e);
        expect((failed as ExternalError).code).toBe("completion-failed");
        expect(getEventListeners(following.signal, "abort")).toHaveLength(0);
      }
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });

  it("names the address when nothing listens", async () => {
    const clock: Clock = { now: () => 0, sleep: async () => {} };
    const fake = await startFakeLitellm(() => {});
    await fake.stop(); // the port is free again: nothing listens there
    const client = createLitellmClient({ baseUrl: fake.url, masterKey: KEY, clock, timeoutMs: 2000 });
    const error = await client.listModels().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/LiteLLM GET \/v1\/models failed: (ECONNREFUSED|timed out)/);
  });
});
