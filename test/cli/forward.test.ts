/**
 * `aiplat forward` on the simulated platform: the command runs until interrupted (the test aborts
 * it the way Ctrl-C does), so it is driven through main() with live streams and the URLs are read
 * from stdout as they are printed.
 */
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { live, podsOf, startPlatform } from "./chat-harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

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
    const run = await live(p, ["forward", "litellm"]);
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
    // The key command it names works as printed (with the user's --kubeconfig carried over).
    const keyCommand = /API key: `aiplat (.+)`/.exec(stopped.stdout)?.[1] ?? "";
    expect(keyCommand).toBe(`key --kubeconfig ${p.sim.kubeconfigPath}`);
    expect((await runCli(keyCommand.split(" "))).stdout).toBe(`${key}\n`);
  }, 120_000);

  it("forwards two targets at once; a taken default port moves to the next, said clearly", async () => {
    const p = await startPlatform([]);
    await occupy(8080);
    const run = await live(p, ["forward", "webui", "langfuse"]);
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
    const explicit = await live(p, ["forward", "litellm", "--port", String(port)]);
    expect(explicit.exited).toBe(2);
    expect(explicit.stderr()).toContain(`Local port ${port} is already in use.`);

    const several = await live(p, ["forward", "litellm", "webui", "--port", "4100"]);
    expect(several.exited).toBe(2);

    const ray = await live(p, ["forward", "ray:nope"]);
    expect(ray.exited).toBe(5);
    expect(ray.stderr()).toContain("Service inference/nope-head-svc does not exist.");

    p.sim.kube.store.patch(
      { apiVersion: "apps/v1", kind: "Deployment", name: "litellm", namespace: "ai-platform" },
      { spec: { replicas: 0 } },
      "merge",
    );
    await p.sim.settle();
    const none = await live(p, ["forward", "litellm"]);
    expect(none.exited).toBe(5);
    expect(none.stderr()).toContain("No Ready pod behind Service ai-platform/litellm");

    const unknown = await live(p, ["forward", "grafana"]);
    expect(unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain("Targets: litellm, webui, langfuse, ray:<endpoint>");
  }, 120_000);
});
