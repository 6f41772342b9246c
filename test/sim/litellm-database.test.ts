import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../support/kube/index.js";
import { repoRoot } from "../support/paths.js";
import type { SimulatedCluster } from "../support/sim/index.js";
import { startSim } from "./support/cluster.js";

/** The platform's LiteLLM and its Postgres, as the litellm Application syncs them. */
async function withPlatformLitellm(): Promise<SimulatedCluster> {
  const sim = await startSim();
  for (const file of ["postgres.yaml", "deployment.yaml"]) {
    const text = readFileSync(join(repoRoot, "platform", "apps", "litellm", file), "utf8");
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as KubeObject | null;
      if (obj?.kind) sim.kube.store.apply(obj, { fieldManager: "argocd-controller", force: true });
    }
  }
  await sim.settle();
  return sim;
}

function api(sim: SimulatedCluster, path: string, body?: unknown) {
  return fetch(`${sim.litellm.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${sim.litellm.masterKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function modelNames(sim: SimulatedCluster): Promise<string[]> {
  const info = (await (await api(sim, "/model/info")).json()) as { data: { model_name: string }[] };
  return info.data.map((m) => m.model_name);
}

function scale(sim: SimulatedCluster, kind: string, name: string, replicas: number): void {
  sim.kube.store.patch(
    { apiVersion: "apps/v1", kind, name, namespace: "ai-platform" },
    { spec: { replicas } },
  );
}

const MODEL = { model_name: "m", litellm_params: { model: "openai/m", api_base: "http://x/v1" } };

describe("simulated LiteLLM tells the truth about its database and its pod", () => {
  it("health reports the database: 503 disconnected while Postgres is down; models survive a restart of it", async () => {
    const sim = await withPlatformLitellm();
    const healthy = await api(sim, "/health/readiness");
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ status: "healthy", db: "connected" });
    expect((await api(sim, "/model/new", MODEL)).status).toBe(200);

    scale(sim, "StatefulSet", "litellm-postgres", 0);
    await sim.settle();
    const down = await api(sim, "/health/readiness");
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ db: "disconnected" });

    scale(sim, "StatefulSet", "litellm-postgres", 1);
    await sim.settle();
    expect((await api(sim, "/health/readiness")).status).toBe(200);
    expect(await modelNames(sim)).toEqual(["m"]);
  });

  it("registrations live in the database: a new database volume has none", async () => {
    const sim = await withPlatformLitellm();
    expect((await api(sim, "/model/new", MODEL)).status).toBe(200);
    expect(await modelNames(sim)).toEqual(["m"]);
    const store = sim.kube.store;
    store.delete({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      name: "litellm-postgres",
      namespace: "ai-platform",
    });
    await sim.settle();
    store.delete({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      name: "data-litellm-postgres-0",
      namespace: "ai-platform",
    });
    await sim.settle();
    const text = readFileSync(join(repoRoot, "platform", "apps", "litellm", "postgres.yaml"), "utf8");
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as KubeObject | null;
      if (obj?.kind === "StatefulSet") store.apply(obj, { fieldManager: "argocd-controller", force: true });
    }
    await sim.settle();
    expect((await api(sim, "/health/readiness")).status).toBe(200);
    expect(await modelNames(sim)).toEqual([]);
  });

  it("answers only while a LiteLLM pod is Ready", async () => {
    const sim = await withPlatformLitellm();
    expect((await api(sim, "/health/liveliness")).status).toBe(200);
    scale(sim, "Deployment", "litellm", 0);
    await sim.settle();
    await expect(api(sim, "/health/liveliness")).rejects.toThrow();
    scale(sim, "Deployment", "litellm", 1);
    await sim.settle();
    expect((await api(sim, "/health/liveliness")).status).toBe(200);
  });
});
