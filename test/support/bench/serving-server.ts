/**
 * An OpenAI-compatible streaming server on loopback for load-generator tests: either the serving
 * model (continuous batching with a knee) or an instant answer, and a stall switch that holds every
 * request arriving during it — what a server that stops taking work looks like to a client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServingEngine, type ServingProfile } from "../sim/litellm/serving-model.js";
import { type StreamRequest, streamFromEngine } from "../sim/litellm/serving-stream.js";

export interface ServingServer {
  url: string;
  requests(): number;
  /** Hold every request that arrives in the next `ms` until the stall ends. */
  stall(ms: number): void;
  close(): Promise<void>;
}

const INSTANT: ServingProfile = {
  card: "instant",
  prefillMsPerToken: 0,
  decodeBaseMs: 0,
  decodePerSequenceMs: 0,
  kvCacheTokens: Number.MAX_SAFE_INTEGER,
  maxNumSeqs: Number.MAX_SAFE_INTEGER,
};

export async function startServingServer(
  profile: ServingProfile | "instant",
  options: { speedup?: number; apiKey?: string } = {},
): Promise<ServingServer> {
  const engine = createServingEngine(profile === "instant" ? INSTANT : profile, options.speedup ?? 1);
  let count = 0;
  let stalledUntil = 0;
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Authentication Error", code: "401" } }));
      return;
    }
    count += 1;
    streamFromEngine(engine, JSON.parse(body) as StreamRequest, res, `chatcmpl-${count}`);
  };
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const wait = stalledUntil - Date.now();
      if (wait > 0) setTimeout(() => handle(req, res, body), wait);
      else handle(req, res, body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    stall(ms) {
      stalledUntil = Date.now() + ms;
    },
    async close() {
      engine.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
