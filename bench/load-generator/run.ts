// The load generator's own ceiling: how many streamed requests per second `aiplat bench`'s client
// (src/adapters/load) sustains against a stand-in that answers at once (in a child process, so
// client and server each get one of the two cores), against a baseline measured in the same run:
// the cheapest possible client — the same POSTs on the same keep-alive agent, the body read and
// dropped without parsing. Target: ≥ 2,000 requests/s, so the client never limits one endpoint.
// Usage: npx tsx bench/load-generator/run.ts [runs] [requests]
import { spawn } from "node:child_process";
import * as http from "node:http";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { keepAliveAgent } from "../../src/adapters/load/chat-stream.js";
import { runClosedLoop } from "../../src/adapters/load/runner.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const requests = Number(process.argv[3] ?? 20_000);
const concurrency = 64;

const child = spawn(process.execPath, ["--import", "tsx", join(here, "instant-server.ts")], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url: string = await new Promise((resolve) => {
  child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
});

async function ours(): Promise<number> {
  const agent = keepAliveAgent(url, concurrency);
  const target = { baseUrl: url, apiKey: "sk-bench", model: "m", agent, timeoutMs: 30_000 };
  const start = performance.now();
  const samples = await runClosedLoop(
    target,
    concurrency,
    { inputTokens: 16, outputTokens: 1, count: requests, promptIndexStart: 0 },
    () => {},
    new AbortController().signal,
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  if (samples.some((s) => !s.ok)) throw new Error("a request failed");
  return samples.length / seconds;
}

async function baseline(): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({
    model: "m",
    messages: [{ role: "user", content: "x".repeat(64) }],
    max_tokens: 1,
    stream: true,
  });
  let issued = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${url}/v1/chat/completions`,
        { method: "POST", agent, headers: { "content-type": "application/json" } },
        (res) => {
          res.resume();
          res.on("end", resolve);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < requests) {
        issued++;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return requests / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const oursRates: number[] = [];
const baseRates: number[] = [];
await ours(); // warm-up
for (let i = 0; i < runs; i++) {
  baseRates.push(await baseline());
  oursRates.push(await ours());
}
child.kill("SIGTERM");
const b = median(baseRates);
const o = median(oursRates);
console.log(`requests per run: ${requests}, concurrency ${concurrency}, runs ${runs}`);
console.log(`baseline (POST, body discarded): ${b.toFixed(0)} req/s (median)`);
console.log(
  `aiplat bench client (streamed, parsed, timed): ${o.toFixed(0)} req/s (median), ${(o / b).toFixed(2)} × baseline`,
);
