import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  KubernetesObjectApi,
} from "@kubernetes/client-node";
import { afterEach } from "vitest";
import { type KubeServer, type KubeServerOptions, startKubeServer } from "../support/kube/index.js";

/** A fresh API server per test with the clients aiplat uses, stopped after the test. */
export interface TestCluster {
  kube: KubeServer;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
}

const running: KubeServer[] = [];

afterEach(async () => {
  for (const kube of running.splice(0)) await kube.stop();
});

export async function startCluster(options: KubeServerOptions = {}): Promise<TestCluster> {
  const kube = await startKubeServer(options);
  running.push(kube);
  const kc = kube.kubeconfig();
  return {
    kube,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

/** The HTTP status and parsed Status body of a failed client call. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      const raw = (error as ApiException<unknown>).body;
      const body =
        typeof raw === "string"
          ? (JSON.parse(raw) as Record<string, unknown>)
          : (raw as Record<string, unknown>);
      return { code: error.code, body: body ?? {} };
    }
    throw error;
  }
  throw new Error("expected the call to fail");
}

export const widgetCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"] },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [{ name: "Size", type: "integer", jsonPath: ".spec.size" }],
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                required: ["size"],
                properties: {
                  size: { type: "integer", minimum: 1 },
                  color: { type: "string", default: "blue", enum: ["blue", "red"] },
                  extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

export function widget(name: string, size = 1, namespace = "default"): Record<string, unknown> {
  return { apiVersion: "example.com/v1", kind: "Widget", metadata: { name, namespace }, spec: { size } };
}

/**
 * Resolve when `predicate` holds for the collected items (polling the in-memory array); the 20 s
 * bound only turns a hang into a readable failure on a busy machine, it is not a timing assertion.
 */
export async function eventually<T>(
  items: T[],
  predicate: (items: T[]) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (predicate(items)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(items).slice(0, 500)}`);
}
