import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";
import type { KubeObject } from "../support/kube/index.js";

let platform: SimPlatform | undefined;
afterEach(async () => {
  await platform?.sim.stop();
  platform = undefined;
});

const NS = "inference";

function endpointPods(p: SimPlatform, endpoint: string, nodeType?: string): KubeObject[] {
  const selector = `app.kubernetes.io/instance=${endpoint}${nodeType ? `,ray.io/node-type=${nodeType}` : ""}`;
  return p.sim.kube.store
    .list({ apiVersion: "v1", kind: "Pod" }, { namespace: NS, labelSelector: selector })
    .filter((pod) => !pod.metadata?.deletionTimestamp);
}

/** The pod the Job controller makes for the registration Job (the simulator runs Jobs without pods). */
function addRegistrationPod(p: SimPlatform, endpoint: string): string {
  const name = `${endpoint}-litellm-register-x7k2p`;
  p.sim.kube.store.apply(
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: NS,
        labels: {
          "app.kubernetes.io/instance": endpoint,
          "app.kubernetes.io/component": "litellm-registration",
          "job-name": `${endpoint}-litellm-register`,
        },
      },
      spec: {
        restartPolicy: "OnFailure",
        containers: [{ name: "register", image: "curlimages/curl:8.11.1" }],
      },
    },
    { fieldManager: "job-controller", force: true },
  );
  return name;
}

async function deployed(names: string[]): Promise<SimPlatform> {
  const p = await startSimPlatform();
  for (const name of names) {
    const run = await runCli(["deploy-model", name], { cwd: p.repo.dir, env: p.env });
    expect(run.exitCode).toBe(0);
  }
  await p.sim.settle();
  return p;
}

describe("aiplat logs", () => {
  it("prints each component prefixed by pod; --component and --tail narrow it; unknown endpoint exits 2", async () => {
    platform = await deployed(["gemma-1b"]);
    const p = platform;
    const register = addRegistrationPod(p, "gemma-1b");
    await p.sim.settle();
    const [head] = endpointPods(p, "gemma-1b", "head");
    const [worker] = endpointPods(p, "gemma-1b", "worker");
    const headName = head?.metadata?.name ?? "";
    const workerName = worker?.metadata?.name ?? "";
    p.sim.kube.setPodLog(NS, headName, "Started Ray head\nServe app llm deployed\n", "ray-head");
    p.sim.kube.setPodLog(NS, workerName, "vLLM loading google/gemma-3-1b-it\nvLLM ready\n", "ray-worker");
    p.sim.kube.setPodLog(NS, register, "registered gemma-1b in LiteLLM\n", "register");
    const cli = (...args: string[]) => runCli(["logs", "gemma-1b", ...args], { cwd: p.repo.dir, env: p.env });

    const all = await cli();
    expect(all.exitCode).toBe(0);
    expect(all.stdout.trim().split("\n")).toEqual([
      `[${headName}] Started Ray head`,
      `[${headName}] Serve app llm deployed`,
      `[${workerName}] vLLM loading google/gemma-3-1b-it`,
      `[${workerName}] vLLM ready`,
      `[${register}] registered gemma-1b in LiteLLM`,
    ]);
    expect((await cli("--component", "worker", "--tail", "1")).stdout).toBe(`[${workerName}] vLLM ready\n`);
    expect((await cli("--component", "register")).stdout).toBe(
      `[${register}] registered gemma-1b in LiteLLM\n`,
    );
    const json = (await cli("--json", "--component", "head")).json() as {
      pods: { pod: string; lines: string[] }[];
    };
    expect(json.pods).toEqual([
      expect.objectContaining({
        pod: headName,
        component: "head",
        started: true,
        lines: ["Started Ray head", "Serve app llm deployed"],
      }),
    ]);

    const unknown = await runCli(["logs", "gemma-4b"], { cwd: p.repo.dir, env: p.env });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("No endpoint named gemma-4b in the cluster. Known endpoints: gemma-1b.");
    expect(unknown.stderr).toContain("For example: aiplat logs gemma-1b");
    expect(unknown.stdout).toBe("");
    const bad = await runCli(["logs", "gemma-1b", "--component", "driver"], { cwd: p.repo.dir, env: p.env });
    expect(bad.exitCode).toBe(2);
  }, 180_000);

  it("says why a pod has not started (image pull back-off) and shows a crashed container's previous lines", async () => {
    platform = await startSimPlatform();
    const p = platform;
    p.sim.kuberay.injectImagePullError(
      "stuck",
      'failed to pull and unpack image "rayproject/ray-llm:bad": not found',
    );
    for (const name of ["stuck", "gemma-1b"]) {
      const run = await runCli(
        ["deploy-model", name, ...(name === "stuck" ? ["--model", "google/gemma-3-1b-it"] : [])],
        {
          cwd: p.repo.dir,
          env: p.env,
        },
      );
      expect(run.exitCode).toBe(0);
    }
    await p.sim.settle();

    const stuck = await runCli(["logs", "stuck", "--component", "head"], { cwd: p.repo.dir, env: p.env });
    expect(stuck.exitCode).toBe(0);
    const [headPod] = endpointPods(p, "stuck", "head");
    const lines = stuck.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^\\[${headPod?.metadata?.name}\\] ! not started: (ImagePullBackOff|ErrImagePull)`),
    );
    expect(stuck.stdout).toContain("rayproject/ray-llm:bad");
    expect(lines.some((l) => / event Failed: /.test(l))).toBe(true);

    // The worker was OOM-killed once and runs again: its previous instance's last lines come first.
    const [worker] = endpointPods(p, "gemma-1b", "worker");
    const workerName = worker?.metadata?.name ?? "";
    const status = worker?.status as { containerStatuses: Record<string, unknown>[] };
    const [first] = status.containerStatuses;
    p.sim.kube.store.updateStatus(
      {
        ...worker!,
        status: {
          ...status,
          containerStatuses: [
            { ...first, restartCount: 1, lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } } },
          ],
        },
      },
      { fieldManager: "kubelet" },
    );
    p.sim.kube.setPreviousPodLog(
      NS,
      workerName,
      "loading weights\ntorch.OutOfMemoryError: CUDA out of memory\n",
      "ray-worker",
    );
    p.sim.kube.setPodLog(NS, workerName, "vLLM ready\n", "ray-worker");
    const crashed = await runCli(["logs", "gemma-1b", "--component", "worker"], {
      cwd: p.repo.dir,
      env: p.env,
    });
    expect(crashed.exitCode).toBe(0);
    const out = crashed.stdout.trim().split("\n");
    expect(out[0]).toBe(
      `[${workerName}] ! container ray-worker restarted 1 time(s); last exit: OOMKilled (exit code 137) — it ran out of memory: raise --worker-memory or lower --max-model-len.`,
    );
    expect(out.slice(-5)).toEqual([
      `[${workerName}] --- previous container, last lines ---`,
      `[${workerName}] loading weights`,
      `[${workerName}] torch.OutOfMemoryError: CUDA out of memory`,
      `[${workerName}] --- current container ---`,
      `[${workerName}] vLLM ready`,
    ]);
  }, 180_000);

  it("--follow interleaves lines as they arrive and follows the worker that replaces a deleted one", async () => {
    platform = await deployed(["gemma-1b"]);
    const p = platform;
    const [worker] = endpointPods(p, "gemma-1b", "worker");
    const oldWorker = worker?.metadata?.name ?? "";
    p.sim.kube.setPodLog(NS, oldWorker, "old worker up\n", "ray-worker");

    const stdout = new PassThrough();
    let text = "";
    const waiters: { needle: string; resolve: () => void }[] = [];
    stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      for (const w of waiters.filter((x) => text.includes(x.needle))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    const seen = (needle: string) =>
      text.includes(needle)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ needle, resolve }));
    const stop = new AbortController();
    const running = main(["logs", "gemma-1b", "--follow", "--component", "worker"], {
      cwd: p.repo.dir,
      env: { ...p.env },
      isTTY: false,
      handleSignals: false,
      stdout,
      stderr: new PassThrough(),
      signal: stop.signal,
    });
    await seen(`[${oldWorker}] old worker up`);
    p.sim.kube.appendPodLog(NS, oldWorker, "serving requests\n", "ray-worker");
    await seen(`[${oldWorker}] serving requests`);

    // The worker is replaced: KubeRay makes a new pod, which aiplat follows once it runs.
    p.sim.kube.store.delete({ apiVersion: "v1", kind: "Pod", name: oldWorker, namespace: NS });
    await p.sim.settle();
    const [replacement] = endpointPods(p, "gemma-1b", "worker");
    const newWorker = replacement?.metadata?.name ?? "";
    expect(newWorker).not.toBe(oldWorker);
    p.sim.kube.setPodLog(NS, newWorker, "", "ray-worker");
    p.sim.kube.appendPodLog(NS, newWorker, "new worker up\n", "ray-worker");
    // Whether aiplat's stream opened before or after this line, it shows up once.
    await seen(`[${newWorker}] new worker up`);

    stop.abort();
    expect(await running).toBe(0);
    expect(text.split("\n").filter((l) => l === `[${newWorker}] new worker up`)).toHaveLength(1);
  }, 180_000);
});
