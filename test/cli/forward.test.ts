/**
 * `aiplat forward` on the simulated platform: the command runs until interrupted (the test aborts
 * it the way Ctrl-C does), so it is driven through main() with live streams and the URLs are read
 * from stdout as they are printed.
 */
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { makeTempDir } from "../support/temp.js";
import { type Platform, podsOf, startPlatform } from "./chat-harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Running {
  urls: Record<string, string>;
  stderr(): string;
  stop(): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/** Starts `aiplat forward …` and resolves once it printed one URL per target (or ended). */
async function forward(p: Platform, argv: string[]): Promise<Running & { exited?: number }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString();
  });
  stderr.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const abort = new AbortController();
  const home = makeTempDir();
  const done = main(["forward", ...argv, "--kubeconfig", p.sim.kubeconfigPath], {
    stdout,
    stderr,
    isTTY: false,
    env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1" },
    cwd: home,
    signal: abort.signal,
    handleSignals: false,
  });
  const targets = argv.filter((a) => !a.startsWith("-") && !/^\d+$/.test(a));
  let exited: number | undefined;
  void done.then((code) => {
    exited = code;
  });
  const urls = (): Record<string, string> =>
    Object.fromEntries([...out.matchAll(/^(\S+)\s+(http:\/\/127\.0\.0\.1:\d+)/gm)].map((m) => [m[1], m[2]]));
  while (exited === undefined && Object.keys(urls()).length < targets.length) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const stop = async () => {
    abort.abort(new Error("SIGINT"));
    const exitCode = await done;
    return { exitCode, stdout: out, stderr: err };
  };
  if (exited === undefined) cleanups.push(async () => void (await stop()));
  return { urls: urls(), stderr: () => err, stop, ...(exited === undefined ? {} : { exited }) };
}

/** One HTTP request on its own TCP connection (no keep-alive pool): status and body. */
function get(
  url: string,
  init: { method?: string; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? "GET", agent: false, headers: { connection: "close" } },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

async function occupy(port: number): Promise<void> {
  const server: Server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  // Already taken by something else on this machine: just as good for the test.
  if (bound) cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
}

describe("aiplat forward", () => {
  it("relays bytes both ways, 20 connections at once through one listener, and survives a replaced pod", async () => {
    const p = await startPlatform(["gemma"]);
    const run = await forward(p, ["litellm"]);
    const url = run.urls.litellm as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get(`${url}/health/liveliness`)).status).toBe(200);

    const key = p.sim.litellm.masterKey;
    const ask = (i: number) =>
      new Promise<string>((resolve, reject) => {
        const body = JSON.stringify({
          model: "gemma",
          messages: [{ role: "user", content: `question ${i}` }],
        });
        const req = request(
          `${url}/v1/chat/completions`,
          {
            method: "POST",
            agent: false,
            headers: {
              authorization: `Bearer ${key}`,
              "content-type": "application/json",
              connection: "close",
            },
          },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => {
              text += c.toString();
            });
            res.on("end", () => resolve(text));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i)));
    for (const [i, text] of answers.entries()) expect(text).toContain(`You said: question ${i}`);

    // The pod is replaced (deleted; its Deployment makes a new one): new connections work, the
    // command still runs and was never restarted.
    const [old] = podsOf(p.sim, "ai-platform", "app.kubernetes.io/name=litellm");
    p.sim.kube.store.delete({
      apiVersion: "v1",
      kind: "Pod",
      name: old?.metadata?.name ?? "",
      namespace: "ai-platform",
    });
    await p.sim.settle();
    const [fresh] = podsOf(p.sim, "ai-platform", "app.kubernetes.io/name=litellm");
    expect(fresh?.metadata?.name).not.toBe(old?.metadata?.name);
    expect((await get(`${url}/health/liveliness`)).status).toBe(200);
    expect(await ask(99)).toContain("You said: question 99");

    const stopped = await run.stop();
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stdout).toContain(`OpenAI base URL: ${url}/v1`);
    expect(stopped.stdout + stopped.stderr).not.toContain(key);
  }, 120_000);

  it("forwards two targets at once; a taken default port moves to the next, said clearly", async () => {
    const p = await startPlatform([]);
    await occupy(8080);
    const run = await forward(p, ["webui", "langfuse"]);
    expect(run.urls.webui).toBeDefined();
    expect(run.urls.webui).not.toBe("http://127.0.0.1:8080");
    expect(run.stderr()).toMatch(/webui: local port 8080 is in use; using \d+ instead/);
    expect((await get(run.urls.webui as string)).body).toContain("Open WebUI");
    expect((await get(run.urls.langfuse as string)).body).toContain("Langfuse");
  }, 120_000);

  it("an explicit --port that is taken exits 2; a missing pod or Service is named", async () => {
    const p = await startPlatform([]);
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const port = (taken.address() as { port: number }).port;
    const explicit = await forward(p, ["litellm", "--port", String(port)]);
    expect(explicit.exited).toBe(2);
    expect(explicit.stderr()).toContain(`Local port ${port} is already in use.`);

    const several = await forward(p, ["litellm", "webui", "--port", "4100"]);
    expect(several.exited).toBe(2);

    const ray = await forward(p, ["ray:nope"]);
    expect(ray.exited).toBe(5);
    expect(ray.stderr()).toContain("Service inference/nope-head-svc does not exist.");

    p.sim.kube.store.patch(
      { apiVersion: "apps/v1", kind: "Deployment", name: "litellm", namespace: "ai-platform" },
      { spec: { replicas: 0 } },
      "merge",
    );
    await p.sim.settle();
    const none = await forward(p, ["litellm"]);
    expect(none.exited).toBe(5);
    expect(none.stderr()).toContain("No Ready pod behind Service ai-platform/litellm");

    const unknown = await forward(p, ["grafana"]);
    expect(unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain("Targets: litellm, webui, langfuse, ray:<endpoint>");
  }, 120_000);
});
