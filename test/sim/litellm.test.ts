import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { LiteLlmServer } from "../support/sim/litellm/server.js";
import { createRandom } from "../support/sim/runtime/random.js";

const KEY = "sk-test-master";
let server: LiteLlmServer | undefined;
let serving = true;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  serving = true;
});

async function start(): Promise<LiteLlmServer> {
  server = new LiteLlmServer({
    masterKey: KEY,
    random: createRandom(5),
    backend: () => (serving ? { ok: true } : { ok: false, message: "Connection error." }),
  });
  await server.start();
  return server;
}

const call = (
  s: LiteLlmServer,
  path: string,
  init: { method?: string; body?: unknown; key?: string | null } = {},
) =>
  fetch(`${s.url}${path}`, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: {
      "content-type": "application/json",
      ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? KEY}` }),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });

const register = (s: LiteLlmServer, name: string) =>
  call(s, "/model/new", {
    body: {
      model_name: name,
      litellm_params: {
        model: "openai/google/gemma-3-4b-it",
        api_base: `http://${name}-serve-svc.inference.svc.cluster.local:8000/v1`,
        api_key: "none",
      },
    },
  });

describe("simulated LiteLLM", () => {
  it("answers health probes without a key and refuses admin calls with a wrong one", async () => {
    const s = await start();
    expect((await call(s, "/health/liveliness", { key: null })).status).toBe(200);
    expect((await call(s, "/health/readiness", { key: null })).status).toBe(200);
    const denied = await call(s, "/model/info", { key: "sk-wrong" });
    expect(denied.status).toBe(401);
    expect(JSON.stringify(await denied.json())).not.toContain(KEY);
  });

  it("registers models non-idempotently, lists and deletes them", async () => {
    const s = await start();
    await register(s, "gemma-4b");
    await register(s, "gemma-4b");
    const info = (await (await call(s, "/model/info")).json()) as {
      data: { model_name: string; model_info: { id: string } }[];
    };
    expect(info.data.map((m) => m.model_name)).toEqual(["gemma-4b", "gemma-4b"]);
    const models = (await (await call(s, "/v1/models")).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["gemma-4b"]);
    for (const m of info.data)
      expect((await call(s, "/model/delete", { body: { id: m.model_info.id } })).status).toBe(200);
    expect((await call(s, "/model/delete", { body: { id: "nope" } })).status).toBe(400);
    expect(s.registered()).toEqual([]);
  });

  it("completes through the OpenAI client, with and without streaming, only while the backend serves", async () => {
    const s = await start();
    await register(s, "gemma-4b");
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const once = await client.chat.completions.create({
      model: "gemma-4b",
      messages: [{ role: "user", content: "tell me a joke" }],
    });
    expect(once.choices[0]?.message.content).toContain("tell me a joke");
    expect(once.usage?.total_tokens).toBeGreaterThan(0);

    const stream = await client.chat.completions.create({
      model: "gemma-4b",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain("stream please");
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });

    await expect(
      client.chat.completions.create({ model: "unknown", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({
      status: 400,
    });
    serving = false;
    await expect(
      client.chat.completions.create({ model: "gemma-4b", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({
      status: 500,
    });
  });

  it("sends SSE chunks ending in [DONE]", async () => {
    const s = await start();
    await register(s, "m");
    const res = await call(s, "/v1/chat/completions", {
      body: { model: "m", stream: true, messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const body = await res.text();
    const events = body.split("\n\n").filter(Boolean);
    expect(events.every((e) => e.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(JSON.parse(events[0]!.slice(6))).toMatchObject({
      object: "chat.completion.chunk",
      choices: [{ delta: { role: "assistant" } }],
    });
  });

  it("fails the next requests, drops a stream midway, and still answers when slowed down", async () => {
    const s = await start();
    await register(s, "m");
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: KEY, maxRetries: 0 });
    s.failNext(1, 429, "rate limited");
    await expect(
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 429 });
    expect(
      (await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }))
        .choices,
    ).toHaveLength(1);

    s.dropMidStream();
    const consume = async () => {
      const stream = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "one two three four" }],
        stream: true,
      });
      for await (const _ of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();

    s.slow(5);
    expect(
      (await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] }))
        .choices,
    ).toHaveLength(1);
  });

  it("a model failing mid-answer sends LiteLLM's in-stream error event, not a dropped socket", async () => {
    const s = await start();
    await register(s, "m");
    s.failMidStream("litellm.APIConnectionError: OpenAIException - Connection error.");
    const res = await call(s, "/v1/chat/completions", {
      body: { model: "m", stream: true, messages: [{ role: "user", content: "one two three four" }] },
    });
    expect(res.status).toBe(200);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    // Two chunks, then {"error": ProxyException.to_dict()} and the end of the stream, no [DONE].
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[2]!.slice(6))).toEqual({
      error: {
        message: "litellm.APIConnectionError: OpenAIException - Connection error.",
        type: "None",
        param: null,
        code: "500",
      },
    });
    // The official client turns the event into an APIError carrying LiteLLM's message.
    s.failMidStream("boom");
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: KEY, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    const drain = async () => {
      for await (const _ of stream) {
        // drain
      }
    };
    await expect(drain()).rejects.toMatchObject({
      status: undefined,
      message: "boom",
      error: { message: "boom", code: "500" },
    });
  });

  it("a backend that stops serving mid-answer ends the stream with the same in-stream error event", async () => {
    const s = await start();
    await register(s, "m");
    s.slow(20);
    const res = await call(s, "/v1/chat/completions", {
      body: {
        model: "m",
        stream: true,
        messages: [{ role: "user", content: "one two three four five six" }],
      },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: \{/);
    serving = false; // the RayService behind the model went away
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    const events = rest.split("\n\n").filter(Boolean);
    expect(events.at(-1)).not.toBe("data: [DONE]");
    expect(JSON.parse((events.at(-1) ?? "").slice(6))).toMatchObject({
      error: {
        message:
          "litellm.APIConnectionError: APIConnectionError: OpenAIException - Connection error.. Received Model Group=m",
        code: "500",
      },
    });
  });
});
