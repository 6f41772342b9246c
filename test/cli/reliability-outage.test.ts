/**
 * The cluster vanishes while `deploy-model --wait` follows it. The CLI talks to the simulated
 * cluster through a TCP proxy this test controls: the proxy goes away at the first watch request
 * (the CLI is following), which to the CLI is exactly an API server that stopped answering
 * (connection refused). The outage shows on the live line at once, is bounded by
 * --unreachable-timeout (exit 5, the real cause), and a cluster that comes back is followed on.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { scaledClock } from "../fixtures/deploy/scaled-clock.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";

interface Proxy {
  port: number;
  /** Resolves when the outage began (the first watch request arrived). */
  down: Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Forwards to `target`; at the first watch request stops listening and cuts every connection. */
async function outageProxy(target: URL): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  let cut = false;
  let began: () => void = () => {};
  const down = new Promise<void>((resolve) => {
    began = resolve;
  });
  const goDown = () => {
    if (cut) return;
    cut = true;
    server.close();
    for (const s of sockets) s.destroy();
    began();
  };
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        sockets.add(client).add(upstream);
        client.on("data", (chunk: Buffer) => {
          if (!cut && chunk.toString("latin1").includes("watch=1")) return goDown();
          upstream.write(chunk);
        });
        upstream.on("data", (chunk) => client.write(chunk));
        for (const s of [client, upstream]) {
          s.on("error", () => {});
          s.on("close", () => {
            client.destroy();
            upstream.destroy();
            sockets.delete(s);
          });
        }
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();
  return {
    port,
    down,
    up: listen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}

let platform: SimPlatform | undefined;
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await platform?.sim.stop();
  platform = undefined;
  proxy = undefined;
});

async function throughProxy() {
  platform = await startSimPlatform();
  const original = readFileSync(platform.sim.kubeconfigPath, "utf8");
  const server = /server: (\S+)/.exec(original)?.[1] ?? "";
  proxy = await outageProxy(new URL(server));
  const kubeconfig = join(platform.repo.dir, "..", "kubeconfig-proxy");
  writeFileSync(kubeconfig, original.replace(server, `http://127.0.0.1:${proxy.port}`), { mode: 0o600 });
  return { p: platform, proxy, env: { ...platform.env, KUBECONFIG: kubeconfig } };
}

describe("deploy-model --wait when the cluster vanishes", () => {
  it("says so at once, gives up after --unreachable-timeout with exit 5 and the real cause; the resume command then works", async () => {
    const { p, proxy, env } = await throughProxy();
    const run = await runCli(
      ["deploy-model", "gemma-1b", "--wait", "--timeout", "8h", "--unreachable-timeout", "2m"],
      // 60x: the 2 minutes last 2 real seconds, so the live line shows between the 250 ms ticks.
      { cwd: p.repo.dir, env, clock: scaledClock(60) },
    );
    expect(run.exitCode, run.stderr).toBe(5);
    // The first redraw after the cut: 0s on a quiet machine, a few simulated seconds under load.
    expect(run.stderr).toMatch(/cluster unreachable for (\d+m )?\d+s, retrying/);
    expect(run.stderr).toMatch(
      /Lost the cluster while following gemma-1b at "[^"]+": cluster unreachable for \dm \d\ds: Cannot reach the Kubernetes API server/,
    );
    expect(run.stderr).not.toContain("Timed out");
    const resume = /keep following with `([^`]+)`/.exec(run.stderr)?.[1] ?? "";
    expect(resume).toBe("aiplat deploy-model gemma-1b --wait");

    await proxy.up();
    const again = await runCli([...resume.split(" ").slice(1), "--timeout", "8h"], {
      cwd: p.repo.dir,
      env,
      clock: scaledClock(),
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain("gemma-1b answers through LiteLLM");
  }, 120_000);

  it("a cluster that comes back is followed on to the end", async () => {
    const { p, proxy, env } = await throughProxy();
    // The proxy comes back once the CLI has said the cluster is unreachable: no timing involved.
    let seen = "";
    let restarted = false;
    const stderr = new Writable({
      write(chunk: Buffer, _enc, done) {
        seen += chunk.toString();
        if (!restarted && seen.includes("cluster unreachable for")) {
          restarted = true;
          void proxy.down.then(() => proxy.up());
        }
        done();
      },
    });
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const exitCode = await main(
      ["deploy-model", "gemma-1b", "--wait", "--timeout", "8h", "--unreachable-timeout", "1h"],
      { cwd: p.repo.dir, env, isTTY: false, handleSignals: false, clock: scaledClock(), stdout, stderr },
    );
    expect(exitCode, seen).toBe(0);
    expect(restarted).toBe(true);
    expect(out).toContain("gemma-1b answers through LiteLLM");
  }, 120_000);
});

describe("undeploy-model --wait when the cluster vanishes", () => {
  it("says so at once, gives up after --unreachable-timeout with exit 5 and the real cause; the resume command then reports it gone", async () => {
    const { p, proxy, env } = await throughProxy();
    // Deployed on the direct connection; only the removal goes through the proxy.
    const deployed = await runCli(["deploy-model", "gemma-1b", "--wait", "--timeout", "8h"], {
      cwd: p.repo.dir,
      env: p.env,
      clock: scaledClock(),
    });
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    const run = await runCli(
      ["undeploy-model", "gemma-1b", "--wait", "--timeout", "8h", "--unreachable-timeout", "2m"],
      {
        cwd: p.repo.dir,
        env,
        clock: scaledClock(60),
      },
    );
    expect(run.exitCode, run.stderr).toBe(5);
    // The first redraw after the cut: 0s on a quiet machine, a few simulated seconds under load.
    expect(run.stderr).toMatch(/cluster unreachable for (\d+m )?\d+s, retrying/);
    expect(run.stderr).toMatch(
      /Lost the cluster while following the removal of gemma-1b at "[^"]+": cluster unreachable for \dm \d\ds: Cannot reach the Kubernetes API server/,
    );
    expect(run.stderr).not.toContain("Timed out");
    expect(/keep following with `([^`]+)`/.exec(run.stderr)?.[1]).toBe(
      "aiplat undeploy-model gemma-1b --wait",
    );
    // The removal itself was pushed before the cluster went away.
    expect(p.repo.remoteGit("log", "-1", "--format=%s", "main")).toBe("undeploy gemma-1b");
    await proxy.up();
    const again = await runCli(["undeploy-model", "gemma-1b", "--wait", "--timeout", "8h"], {
      cwd: p.repo.dir,
      env,
      clock: scaledClock(),
    });
    // The removal finished during the outage: the resume command says so and succeeds.
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^gemma-1b is already gone: platform\/workloads\/gemma-1b.yaml was removed in commit [0-9a-f]{7} and the cluster has no gemma-1b left\.$/m,
    );
  }, 120_000);
});
