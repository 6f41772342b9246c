import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Random } from "../runtime/random.js";
import { type ChatRequest, chatCompletion, completionChunks, completionWords } from "./completions.js";
import { DailyActivity } from "./daily-activity.js";
import type { DatabaseLookup } from "./database.js";
import { createServingEngine, type ServingEngine, type ServingProfile } from "./serving-model.js";
import { streamFromEngine } from "./serving-stream.js";

/**
 * A LiteLLM proxy stand-in speaking the API aiplat and the registration Jobs use: master-key auth
 * (Authorization: Bearer), /health/liveliness and /health/readiness without a key, /model/new (not
 * idempotent, like the real one), /model/info, /model/delete, /v1/models, /user/daily/activity
 * (requests per model and model group, daily-activity.ts), and /v1/chat/completions
 * with and without streaming (SSE chunks, usage, `data: [DONE]`). A model answers only while its
 * backend (the RayService behind api_base) serves; otherwise the error LiteLLM gives for an
 * unreachable backend. Tests can make it slow, fail the next requests, or drop a stream midway.
 */
export interface RegisteredModel {
  model_name: string;
  litellm_params: { model: string; api_base?: string; api_key?: string };
  model_info: { id: string; db_model: boolean };
}

export type BackendCheck = (model: RegisteredModel) => { ok: true } | { ok: false; message: string };

export interface LiteLlmOptions {
  masterKey: string;
  random: Random;
  backend: BackendCheck;
  /**
   * The serving model behind a registered model (serving-model.ts): when it gives a profile,
   * streamed answers come at the pace of continuous batching on that GPU instead of at once.
   */
  profileFor?: ((model: RegisteredModel) => ServingProfile | undefined) | undefined;
  /** Divides every serving time (tests run the same shape faster); default 1. */
  servingSpeedup?: number | undefined;
  /** The platform's LiteLLM database (database.ts); undefined: the stand-in keeps models itself. */
  database?: DatabaseLookup | undefined;
  /** Whether LiteLLM answers at all (a Ready pod on the platform, database.ts); default always. */
  answering?: (() => boolean) | undefined;
}

interface Failure {
  status: number;
  message: string;
}

export class LiteLlmServer {
  private server?: Server;
  /** Registrations by database (database.ts): a new database volume starts empty. */
  private readonly databases = new Map<string, RegisteredModel[]>();
  private readonly failures: Failure[] = [];
  private delayMs = 0;
  private dropNext = false;
  /** The next streaming completion fails after its first chunks with this error (in-stream). */
  private streamFailure: string | undefined;
  private readonly chatLog: ChatRequest[] = [];
  private readonly activity = new DailyActivity();
  url = "";

  constructor(private readonly options: LiteLlmOptions) {}

  /** The models of the database LiteLLM is connected to now. */
  private get models(): RegisteredModel[] {
    const id = this.options.database?.()?.id ?? "";
    let models = this.databases.get(id);
    if (!models) {
      models = [];
      this.databases.set(id, models);
    }
    return models;
  }

  get masterKey(): string {
    return this.options.masterKey;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody(String(error), "internal_error", 500));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    const { port: actual } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${actual}`;
  }

  async stop(): Promise<void> {
    for (const { engine } of this.engines.values()) engine.stop();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `count` chat requests fail with this HTTP status (default 500). */
  failNext(count = 1, status = 500, message = "litellm.InternalServerError: simulated failure"): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, message });
  }

  private readonly engines = new Map<string, { card: string; engine: ServingEngine }>();

  /** One engine per registered model and GPU card: requests to one model share its batch. */
  private engineFor(model: RegisteredModel): ServingEngine | undefined {
    const profile = this.options.profileFor?.(model);
    if (profile === undefined) return undefined;
    const known = this.engines.get(model.model_name);
    if (known?.card === profile.card) return known.engine;
    known?.engine.stop();
    const engine = createServingEngine(profile, this.options.servingSpeedup ?? 1);
    this.engines.set(model.model_name, { card: profile.card, engine });
    return engine;
  }

  /** Every response waits this long before the first byte and between stream chunks. */
  slow(ms: number): void {
    this.delayMs = ms;
  }

  /** The next streaming completion closes the connection after a few chunks. */
  dropMidStream(): void {
    this.dropNext = true;
  }

  /** Every chat completion request received, oldest first (what a client really sent). */
  chats(): ChatRequest[] {
    return this.chatLog.map((c) => structuredClone(c));
  }

  /**
   * The next streaming completion fails after it started, as when the model server dies mid-answer:
   * LiteLLM then sends `data: {"error": {message, type, param, code}}` and ends the stream without
   * `[DONE]` (BerriAI/litellm, litellm/proxy/common_request_processing.py, the streaming data
   * generator's `except` branch: ProxyException.to_dict() under "error", code as a string). Before
   * the first chunk the same failure is a plain JSON error response with that status instead
   * (create_response), which failNext() covers.
   */
  failMidStream(message = "litellm.APIConnectionError: OpenAIException - Connection error."): void {
    this.streamFailure = message;
  }

  /** What `/health/readiness` needs beyond a running process: the database answering. */
  databaseReachable(): boolean {
    return this.options.database?.()?.reachable ?? true;
  }

  /** Registered deployments (as /model/info lists them). */
  registered(): RegisteredModel[] {
    return this.models.map((m) => ({ ...m }));
  }

  /** What the registration Job does: add the model unless its name is registered already. */
  registerIfAbsent(model_name: string, model: string, api_base: string): boolean {
    if (this.models.some((m) => m.model_name === model_name)) return false;
    this.add({ model_name, litellm_params: { model, api_base, api_key: "none" } });
    return true;
  }

  private add(body: {
    model_name: string;
    litellm_params: RegisteredModel["litellm_params"];
  }): RegisteredModel {
    const r = this.options.random;
    const id = `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;
    const model: RegisteredModel = {
      model_name: body.model_name,
      litellm_params: { ...body.litellm_params },
      model_info: { id, db_model: true },
    };
    this.models.push(model);
    return model;
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? "";
    const key = header.startsWith("Bearer ")
      ? header.slice(7)
      : (req.headers["x-litellm-api-key"] as string | undefined);
    return key === this.options.masterKey;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // No Ready LiteLLM pod: nothing listens behind the Service or a port-forward.
    if (this.options.answering && !this.options.answering()) {
      req.socket.destroy();
      return;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    if (path === "/health/liveliness" || path === "/health/liveness") return send(res, 200, "I'm alive!");
    if (path === "/health/readiness") {
      // litellm/proxy/health_endpoints/_health_endpoints.py: a configured database that does not
      // answer is "disconnected" with 503, so Kubernetes takes the pod out of rotation.
      const database = this.options.database?.();
      const connected = database === undefined || database.reachable;
      return send(res, connected ? 200 : 503, {
        status: "healthy",
        db: connected ? "connected" : "disconnected",
        litellm_version: "1.83.10",
      });
    }
    if (!this.authorized(req)) {
      return send(
        res,
        401,
        errorBody(
          "Authentication Error, Invalid proxy server token passed. Received API Key = sk-...****",
          "auth_error",
          401,
        ),
      );
    }
    const body = method === "POST" ? await readJson(req) : {};
    if (method === "POST" && path === "/model/new") return this.modelNew(res, body);
    if (method === "GET" && (path === "/model/info" || path === "/v1/model/info")) {
      return send(res, 200, {
        data: this.models.map((m) => ({
          ...m,
          litellm_params: { model: m.litellm_params.model, api_base: m.litellm_params.api_base },
        })),
      });
    }
    if (method === "POST" && path === "/model/delete") return this.modelDelete(res, body);
    if (method === "GET" && path === "/user/daily/activity") {
      const query = new URL(req.url ?? "/", "http://localhost").searchParams;
      return send(res, 200, this.activity.page(query.get("start_date") ?? "", query.get("end_date") ?? ""));
    }
    if (method === "GET" && (path === "/v1/models" || path === "/models")) {
      const names = [...new Set(this.models.map((m) => m.model_name))];
      return send(res, 200, {
        object: "list",
        data: names.map((id) => ({ id, object: "model", created: 1677610602, owned_by: "openai" })),
      });
    }
    if (method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions"))
      return this.chat(res, body as ChatRequest);
    return send(res, 404, { detail: "Not Found" });
  }

  private modelNew(res: ServerResponse, body: Record<string, unknown>) {
    const params = body.litellm_params as RegisteredModel["litellm_params"] | undefined;
    if (typeof body.model_name !== "string" || !params?.model) {
      return send(
        res,
        400,
        errorBody("model_name and litellm_params.model are required", "bad_request_error", 400),
      );
    }
    const model = this.add({ model_name: body.model_name, litellm_params: params });
    send(res, 200, {
      model_id: model.model_info.id,
      model_name: model.model_name,
      litellm_params: { model: params.model, api_base: params.api_base },
      model_info: model.model_info,
    });
  }

  private modelDelete(res: ServerResponse, body: Record<string, unknown>) {
    const i = this.models.findIndex((m) => m.model_info.id === body.id);
    if (i < 0)
      return send(
        res,
        400,
        errorBody(`Model with id=${String(body.id)} not found in db`, "bad_request_error", 400),
      );
    this.models.splice(i, 1);
    send(res, 200, { message: `Model: ${String(body.id)} deleted successfully` });
  }

  private async chat(res: ServerResponse, request: ChatRequest): Promise<void> {
    this.chatLog.push(structuredClone(request));
    await sleep(this.delayMs);
    const failure = this.failures.shift();
    if (failure)
      return send(res, failure.status, errorBody(failure.message, "internal_server_error", failure.status));
    const candidates = this.models.filter((m) => m.model_name === request.model);
    if (candidates.length === 0) {
      return send(
        res,
        400,
        errorBody(
          `litellm.BadRequestError: Invalid model name passed in model=${String(request.model)}. Call \`/v1/models\` to view available models for your key.`,
          "invalid_request_error",
          400,
        ),
      );
    }
    const model = candidates[0]!;
    const check = this.options.backend(model);
    this.activity.record(model.model_name, model.litellm_params.model, check.ok);
    if (!check.ok) {
      return send(
        res,
        500,
        errorBody(
          `litellm.APIConnectionError: APIConnectionError: OpenAIException - ${check.message}. Received Model Group=${model.model_name}`,
          "internal_server_error",
          500,
        ),
      );
    }
    const served = model.litellm_params.model.replace(/^openai\//, "");
    if (!request.stream) return send(res, 200, chatCompletion(request, served, this.options.random));
    const engine = this.engineFor(model);
    if (engine !== undefined && !this.dropNext) {
      const words = completionWords(request);
      return streamFromEngine(engine, request, res, `chatcmpl-${this.options.random.hex(24)}`, words);
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    const drop = this.dropNext;
    this.dropNext = false;
    const midStreamFailure = this.streamFailure;
    this.streamFailure = undefined;
    let n = 0;
    for (const chunk of completionChunks(request, served, this.options.random)) {
      if (drop && n === 2) {
        res.socket?.destroy();
        return;
      }
      if (midStreamFailure !== undefined && n === 2) {
        res.end(`data: ${JSON.stringify(errorBody(midStreamFailure, "None", 500))}\n\n`);
        return;
      }
      // The backend stopped serving mid-answer: the same in-stream error event, not a cut socket.
      const backend = n > 0 ? this.options.backend(model) : { ok: true as const };
      if (!backend.ok) {
        const message = `litellm.APIConnectionError: APIConnectionError: OpenAIException - ${backend.message}. Received Model Group=${model.model_name}`;
        res.end(`data: ${JSON.stringify(errorBody(message, "None", 500))}\n\n`);
        return;
      }
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      n++;
      await sleep(this.delayMs);
    }
    res.end("data: [DONE]\n\n");
  }
}

function errorBody(message: string, type: string, code: number): Record<string, unknown> {
  return { error: { message, type, param: null, code: String(code) } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
