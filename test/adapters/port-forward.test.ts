import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createKubeObjects } from "../../src/adapters/kube/objects.js";
import { type PortForwardHandle, startPortForward } from "../../src/adapters/kube/port-forward.js";
import { ExternalError, UsageError } from "../../src/core/errors.js";
import { type KubeServer, startKubeServer } from "../support/kube/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP server that answers every chunk with `<tag>:<chunk>`: which pod answered is visible. */
async function echo(tag: string): Promise<number> {
  const server: Server = createServer((socket) => socket.on("data", (d) => socket.write(`${tag}:${d}`)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

function addPod(kube: KubeServer, name: string) {
  const pod = kube.store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ai-platform", labels: { "app.kubernetes.io/name": "litellm" } },
    spec: {
      containers: [{ name: "litellm", image: "litellm", ports: [{ name: "http", containerPort: 4000 }] }],
    },
  });
  kube.store.updateStatus({
    ...pod,
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
  });
}

async function roundTrip(port: number, text: string): Promise<string> {
  const socket: Socket = connect(port, "127.0.0.1");
  return new Promise((resolve, reject) => {
    socket.once("data", (d) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.once("error", reject);
    socket.write(text);
  });
}

async function setup() {
  const kube = await startKubeServer();
  cleanups.push(() => kube.stop());
  kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ai-platform" } });
  kube.store.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "litellm", namespace: "ai-platform" },
    spec: { selector: { "app.kubernetes.io/name": "litellm" }, ports: [{ port: 4000, targetPort: "http" }] },
  });
  const config = kube.kubeconfig();
  return { kube, config, objects: createKubeObjects(config) };
}

describe("port-forward to a pod behind a Service", () => {
  it("relays TCP through the API server and follows a replaced pod on the next connection", async () => {
    const { kube, config, objects } = await setup();
    addPod(kube, "litellm-a");
    kube.setPortForwardTarget("ai-platform", "litellm-a", 4000, { host: "127.0.0.1", port: await echo("a") });
    const forward: PortForwardHandle = await startPortForward(config, objects, {
      namespace: "ai-platform",
      service: "litellm",
      port: 4000,
    });
    cleanups.push(() => forward.close());
    expect(forward.url).toBe(`http://127.0.0.1:${forward.localPort}`);
    expect(await roundTrip(forward.localPort, "ping")).toBe("a:ping");

    // The pod restarts under a new name: the next connection reaches the new one.
    kube.store.delete({ apiVersion: "v1", kind: "Pod", name: "litellm-a", namespace: "ai-platform" });
    addPod(kube, "litellm-b");
    kube.setPortForwardTarget("ai-platform", "litellm-b", 4000, { host: "127.0.0.1", port: await echo("b") });
    expect(await roundTrip(forward.localPort, "ping")).toBe("b:ping");
  });

  it("says so when the wanted local port is taken, and picks a free one without a wanted port", async () => {
    const { kube, config, objects } = await setup();
    addPod(kube, "litellm-a");
    const taken = await echo("x");
    const error = await startPortForward(
      config,
      objects,
      { namespace: "ai-platform", service: "litellm", port: 4000 },
      { localPort: taken },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`Local port ${taken} is already in use.`);
    const free = await startPortForward(config, objects, {
      namespace: "ai-platform",
      service: "litellm",
      port: 4000,
    });
    cleanups.push(() => free.close());
    expect(free.localPort).not.toBe(taken);
  });

  it("fails before listening when no pod runs behind the Service", async () => {
    const { config, objects } = await setup();
    const error = await startPortForward(config, objects, {
      namespace: "ai-platform",
      service: "litellm",
      port: 4000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect((error as Error).message).toContain("No Ready pod behind Service ai-platform/litellm");
  });
});
