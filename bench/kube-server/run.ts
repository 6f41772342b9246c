/**
 * Throughput and latency of the test API server (test/support/kube): GET of one object, LIST of
 * 1,000 objects, and watch fan-out latency (write → event received by every watcher). Loops are
 * bounded and run on 127.0.0.1 only. Prints a Markdown table of medians over several runs.
 *
 *   npx tsx bench/kube-server/run.ts [runs=5]
 */
import { Agent, request } from "node:http";
import { startKubeServer } from "../../test/support/kube/index.js";

const RUNS = Math.max(1, Number(process.argv[2] ?? 5));
const OBJECTS = 1000;
const GETS = 2000;
const LISTS = 40;
const CONCURRENCY = 8;
const WATCHERS = 50;
const WRITES = 100;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Accept: "application/json" } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () =>
        res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** Requests per second for `total` requests issued by `CONCURRENCY` parallel loops. */
async function throughput(url: string, total: number): Promise<{ rps: number; bytes: number }> {
  let next = 0;
  let bytes = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next++;
        bytes = await get(url);
      }
    }),
  );
  return { rps: total / ((performance.now() - start) / 1000), bytes };
}

async function watchFanOut(
  base: string,
  write: (i: number) => string,
): Promise<{ p50: number; p99: number }> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const requests: ReturnType<typeof request>[] = [];
  let ready = 0;
  await new Promise<void>((resolveAll) => {
    for (let w = 0; w < WATCHERS; w++) {
      const req = request(
        `${base}/api/v1/namespaces/bench/configmaps?watch=true&resourceVersion=${write(-1)}`,
        (res) => {
          ready++;
          if (ready === WATCHERS) resolveAll();
          let buffer = "";
          res.on("data", (chunk: Buffer) => {
            const now = performance.now();
            buffer += chunk.toString();
            let nl = buffer.indexOf("\n");
            while (nl >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              const rv = /"resourceVersion":"(\d+)"/.exec(line)?.[1];
              const at = rv ? sentAt.get(rv) : undefined;
              if (at !== undefined) latencies.push(now - at);
              nl = buffer.indexOf("\n");
            }
          });
        },
      );
      req.end();
      requests.push(req);
    }
  });
  for (let i = 0; i < WRITES; i++) {
    const t = performance.now();
    sentAt.set(write(i), t);
    await new Promise((r) => setImmediate(r));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < WATCHERS * WRITES && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  for (const req of requests) req.destroy();
  // A median over events that never arrived would flatter the server: report the loss instead.
  if (latencies.length < WATCHERS * WRITES)
    throw new Error(`watch fan-out: ${latencies.length} of ${WATCHERS * WRITES} events arrived within 10 s`);
  latencies.sort((a, b) => a - b);
  return {
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const results = {
    get: [] as number[],
    list: [] as number[],
    listBytes: 0,
    fanP50: [] as number[],
    fanP99: [] as number[],
    inProcessWrites: [] as number[],
    nsDelete: [] as number[],
  };
  for (let run = 0; run < RUNS; run++) {
    const kube = await startKubeServer();
    const { store } = kube;
    store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } });
    const t0 = performance.now();
    for (let i = 0; i < OBJECTS; i++) {
      store.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: `cm-${String(i).padStart(4, "0")}`,
          namespace: "bench",
          labels: { app: "bench", shard: String(i % 10) },
        },
        data: { value: "x".repeat(200) },
      });
    }
    results.inProcessWrites.push(OBJECTS / ((performance.now() - t0) / 1000));
    const g = await throughput(`${kube.url}/api/v1/namespaces/bench/configmaps/cm-0500`, GETS);
    results.get.push(g.rps);
    const l = await throughput(`${kube.url}/api/v1/namespaces/bench/configmaps`, LISTS);
    results.list.push(l.rps);
    results.listBytes = l.bytes;
    const fan = await watchFanOut(kube.url, (i) => {
      if (i < 0) return store.resourceVersion;
      const obj = store.patch(
        { apiVersion: "v1", kind: "ConfigMap", namespace: "bench", name: "cm-0001" },
        { data: { value: `v${run}-${i}` } },
      );
      return obj.metadata?.resourceVersion ?? "";
    });
    results.fanP50.push(fan.p50);
    results.fanP99.push(fan.p99);
    const t1 = performance.now();
    store.delete({ apiVersion: "v1", kind: "Namespace", name: "bench" });
    if (store.tryGet({ apiVersion: "v1", kind: "Namespace", name: "bench" }))
      throw new Error("namespace still there");
    results.nsDelete.push(performance.now() - t1);
    await kube.stop();
  }
  agent.destroy();
  const f = (n: number, d = 0) => n.toFixed(d);
  console.log(`| measure | median of ${RUNS} runs |`);
  console.log("|---|---:|");
  console.log(
    `| GET one ConfigMap, ${CONCURRENCY} concurrent keep-alive clients (requests/s) | ${f(median(results.get))} |`,
  );
  console.log(
    `| LIST 1,000 ConfigMaps (${f(results.listBytes / 1024)} KiB per response), ${CONCURRENCY} concurrent (requests/s) | ${f(median(results.list), 1)} |`,
  );
  console.log(
    `| watch fan-out: ${WATCHERS} watchers × ${WRITES} writes, write → event p50 (ms) | ${f(median(results.fanP50), 2)} |`,
  );
  console.log(`| watch fan-out p99 (ms) | ${f(median(results.fanP99), 2)} |`);
  console.log(`| in-process creates (objects/s) | ${f(median(results.inProcessWrites))} |`);
  console.log(
    `| delete a namespace holding 1,000 objects, in process (ms) | ${f(median(results.nsDelete), 1)} |`,
  );
  console.log(`\nnode ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
