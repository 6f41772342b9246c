/**
 * The platform as `aiplat forward|chat|smoke` meet it, on the simulator: LiteLLM (the Service from
 * platform/apps/litellm/service.yaml and a Deployment whose pod the stand-in answers for), Open
 * WebUI and Langfuse (the simulator's chart stand-ins), and InferenceEndpoints served by KubeRay
 * and registered by their Jobs — without ArgoCD, so a test starts in a few seconds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach } from "vitest";
import { parse } from "yaml";
import type { MainDeps } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { endpointObject, rgd, startSim } from "../sim/support/cluster.js";
import { runCli } from "../support/cli.js";
import type { KubeObject } from "../support/kube/index.js";
import { repoRoot } from "../support/paths.js";
import { chartStandIn } from "../support/sim/argocd/chart-standins.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { makeTempDir } from "../support/temp.js";

const LITELLM_LABELS = { "app.kubernetes.io/name": "litellm" };

function litellmDeployment(): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "litellm", namespace: "ai-platform", labels: LITELLM_LABELS },
    spec: {
      replicas: 1,
      selector: { matchLabels: LITELLM_LABELS },
      template: {
        metadata: { labels: LITELLM_LABELS },
        spec: {
          containers: [
            {
              name: "litellm",
              image: "ghcr.io/berriai/litellm:stand-in",
              ports: [{ name: "http", containerPort: 4000 }],
            },
          ],
        },
      },
    },
  };
}

const apply = (sim: SimulatedCluster, obj: KubeObject) =>
  sim.kube.store.apply(obj, { fieldManager: "test", force: true });

export interface Platform {
  sim: SimulatedCluster;
  run(argv: readonly string[], deps?: MainDeps & { stdinText?: string }): ReturnType<typeof runCli>;
}

/** LiteLLM, the web UIs and one endpoint per model name, settled (models registered). */
export async function startPlatform(models: readonly string[] = ["gemma"]): Promise<Platform> {
  const sim = await startSim();
  apply(
    sim,
    parse(readFileSync(join(repoRoot, "platform", "apps", "litellm", "service.yaml"), "utf8")) as KubeObject,
  );
  apply(sim, litellmDeployment());
  for (const chart of ["open-webui", "langfuse"]) {
    for (const obj of chartStandIn(chart, chart)) {
      apply(sim, { ...obj, metadata: { ...obj.metadata, namespace: "ai-platform" } });
    }
  }
  apply(sim, rgd());
  await sim.settle();
  for (const name of models) sim.kube.store.create(endpointObject(name));
  await sim.settle();
  const home = makeTempDir();
  return {
    sim,
    run: (argv, deps = {}) => {
      const { stdinText, ...rest } = deps;
      const stdin = stdinText === undefined ? rest.stdin : Readable.from([stdinText]);
      return runCli([...argv, "--kubeconfig", sim.kubeconfigPath], {
        cwd: home,
        env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1" },
        ...rest,
        ...(stdin ? { stdin } : {}),
      });
    },
  };
}

/** Pods of a label selector, for tests that replace or inspect them. */
export function podsOf(sim: SimulatedCluster, namespace: string, selector: string): KubeObject[] {
  return sim.kube.store.list({ apiVersion: "v1", kind: "Pod" }, { namespace, labelSelector: selector });
}

const running: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

export interface Running {
  urls: Record<string, string>;
  stderr(): string;
  /** Resolves once stderr contains `text` (or the command ended). */
  untilStderr(text: string): Promise<void>;
  stop(): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/**
 * Starts a command that runs until interrupted (`forward`, `open`) through main() with live streams,
 * and resolves once it printed one URL per target (or ended). `stop()` interrupts it as Ctrl-C does;
 * a test that does not stop it has it stopped after the test.
 */
export async function live(
  p: Platform,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<Running & { exited?: number }> {
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
  const done = main([...argv, "--kubeconfig", p.sim.kubeconfigPath], {
    stdout,
    stderr,
    isTTY: false,
    env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", ...env },
    cwd: home,
    signal: abort.signal,
    handleSignals: false,
  });
  const targets = argv.slice(1).filter((a) => !a.startsWith("-") && !/^\d+$/.test(a));
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
  if (exited === undefined) running.push(stop);
  return {
    urls: urls(),
    stderr: () => err,
    untilStderr: async (text: string) => {
      while (exited === undefined && !err.includes(text)) await new Promise((r) => setTimeout(r, 10));
    },
    stop,
    ...(exited === undefined ? {} : { exited }),
  };
}
