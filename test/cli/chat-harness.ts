/**
 * The platform as `aiplat forward|chat|smoke` meet it, on the simulator: LiteLLM (the Service from
 * platform/apps/litellm/service.yaml and a Deployment whose pod the stand-in answers for), Open
 * WebUI and Langfuse (the simulator's chart stand-ins), and InferenceEndpoints served by KubeRay
 * and registered by their Jobs — without ArgoCD, so a test starts in a few seconds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parse } from "yaml";
import type { MainDeps } from "../../src/cli/context.js";
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
