import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";
import { writeInfrastructure } from "./status-platform.js";

let platform: SimPlatform | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await platform?.sim.stop();
  platform = undefined;
});

/** stdout as it arrives, and a promise for the moment a text shows up in it (no sleeping). */
function capture() {
  const stream = new PassThrough();
  let text = "";
  const waiters: { needle: string; resolve: () => void }[] = [];
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const w of waiters.filter((x) => text.includes(x.needle))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    stream,
    text: () => text,
    seen: (needle: string) =>
      text.includes(needle)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ needle, resolve })),
  };
}

describe("aiplat status --watch", () => {
  it("redraws when a GPU node appears and exits 0 on Ctrl-C", async () => {
    platform = await startSimPlatform();
    const { repo, env, sim } = platform;
    for (const [k, v] of Object.entries(sim.aws.env)) vi.stubEnv(k, v);
    writeInfrastructure(repo.dir);
    const out = capture();
    const stop = new AbortController();
    const running = main(["status", "--watch"], {
      cwd: repo.dir,
      env,
      isTTY: false,
      handleSignals: false,
      stdout: out.stream,
      stderr: new PassThrough(),
      signal: stop.signal,
    });
    await out.seen("No GPU nodes.");
    const screens = () => out.text().split("(watching; Ctrl-C to stop)").length - 1;
    const before = screens();
    sim.kube.store.apply(
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: "gpu-inference-idle1",
          labels: {
            "karpenter.sh/nodepool": "gpu-inference",
            "karpenter.sh/capacity-type": "on-demand",
            "node.kubernetes.io/instance-type": "g6.xlarge",
          },
        },
      },
      { fieldManager: "test", force: true },
    );
    await out.seen("! $0.80/h of GPU is idle.");
    expect(screens()).toBeGreaterThan(before);
    const latest = out.text().slice(out.text().lastIndexOf("aiplat status —"));
    expect(latest).toMatch(/gpu-inference-idle1\s+g6\.xlarge\s+on-demand\s+\S+\s+idle\s+\$0\.80\/h/);
    for (const title of ["Infrastructure", "Cluster", "GitOps", "Endpoints", "GPU nodes", "LiteLLM"])
      expect(latest).toContain(`\n${title}\n`);
    expect(latest).toContain("Cluster\n  aiplat-dev (us-east-1): EKS 1.33, ACTIVE\n");
    stop.abort();
    expect(await running).toBe(0);

    const json = await runCli(["status", "--watch", "--json"], { cwd: repo.dir, env });
    expect(json.exitCode).toBe(2);
    expect(json.json()).toMatchObject({ ok: false, error: { code: "invalid-input" } });
  }, 120_000);
});
