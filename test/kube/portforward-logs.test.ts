import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import { PortForward } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, failure, startCluster } from "./helpers.js";

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** WebSockets opened by client-node's PortForward, to see when the server drops them. */
const tunnels: Promise<unknown>[] = [];

/** A TCP echo server standing in for the model server inside the pod. */
async function echoServer(prefix = ""): Promise<number> {
  const server = createServer((sock) => {
    sockets.push(sock);
    sock.on("data", (d) => sock.write(prefix + d.toString()));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** A local listener that forwards each connection through client-node's PortForward (aiplat's pattern). */
async function localForward(pf: PortForward, pod: string, port: number): Promise<number> {
  const server = createServer((sock) => {
    sockets.push(sock);
    tunnels.push(pf.portForward("default", pod, [port], sock, null, sock).catch(() => sock.destroy()));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

async function roundTrip(port: number, message: string): Promise<{ reply: string; socket: Socket }> {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  await once(socket, "connect");
  const chunks: string[] = [];
  socket.on("data", (d) => chunks.push(d.toString()));
  socket.write(message);
  await eventually(chunks, (c) => c.join("").length >= message.length, "the echo");
  return { reply: chunks.join(""), socket };
}

const pod = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { containers: [{ name: "main", image: "x" }] },
});

describe("test API server: port-forward over WebSocket", () => {
  it("relays bytes both ways between client-node's PortForward and the pod's TCP target", async () => {
    const { kube, kc } = await startCluster();
    kube.store.create(pod("model-0"));
    kube.setPortForwardTarget("default", "model-0", 8000, {
      host: "127.0.0.1",
      port: await echoServer("echo:"),
    });
    const local = await localForward(new PortForward(kc), "model-0", 8000);
    const { reply, socket } = await roundTrip(local, "hello");
    expect(reply).toBe("echo:hello");
    socket.destroy();
  });

  it("refuses to forward to a pod that does not exist", async () => {
    const { kc } = await startCluster();
    const io = new PassThrough();
    await expect(
      new PortForward(kc).portForward("default", "ghost", [8000], io, null, io),
    ).rejects.toBeDefined();
  });

  /** The WebSocket of the latest tunnel, resolved once client-node has opened it. */
  async function latestTunnel(): Promise<{ readyState: number; once: (e: string, f: () => void) => void }> {
    return (await tunnels[tunnels.length - 1]) as {
      readyState: number;
      once: (e: string, f: () => void) => void;
    };
  }

  it("drops open connections when the fault is switched on", async () => {
    const { kube, kc } = await startCluster();
    kube.store.create(pod("model-0"));
    kube.setPortForwardTarget("default", "model-0", 8000, { host: "127.0.0.1", port: await echoServer() });
    const local = await localForward(new PortForward(kc), "model-0", 8000);
    await roundTrip(local, "ping");
    const ws = await latestTunnel();
    const closed = new Promise<void>((r) => ws.once("close", r));
    kube.faults.dropPortForwards();
    await closed;
    expect(ws.readyState).toBe(3);
  });

  it("drops a connection after the configured number of relayed bytes", async () => {
    const { kube, kc } = await startCluster({ faults: { portForwardDropAfterBytes: 4 } });
    kube.store.create(pod("model-0"));
    kube.setPortForwardTarget("default", "model-0", 8000, { host: "127.0.0.1", port: await echoServer() });
    const local = await localForward(new PortForward(kc), "model-0", 8000);
    const { reply } = await roundTrip(local, "abcd");
    expect(reply).toBe("abcd");
    const ws = await latestTunnel();
    if (ws.readyState !== 3) await new Promise<void>((r) => ws.once("close", r));
    expect(ws.readyState).toBe(3);
  });

  it("drops the connection when the pod is deleted", async () => {
    const { kube, kc } = await startCluster();
    kube.store.create(pod("model-0"));
    kube.setPortForwardTarget("default", "model-0", 8000, { host: "127.0.0.1", port: await echoServer() });
    const local = await localForward(new PortForward(kc), "model-0", 8000);
    await roundTrip(local, "ping");
    const ws = await latestTunnel();
    const closed = new Promise<void>((r) => ws.once("close", r));
    kube.store.delete({ apiVersion: "v1", kind: "Pod", namespace: "default", name: "model-0" });
    await closed;
    expect(ws.readyState).toBe(3);
  });
});

describe("test API server: pod logs", () => {
  it("serves the log a test set, with tailLines, and 404 for a missing pod", async () => {
    const { kube, core } = await startCluster();
    kube.store.create(pod("model-0"));
    kube.setPodLog("default", "model-0", "one\ntwo\nthree\n");
    expect(await core.readNamespacedPodLog({ name: "model-0", namespace: "default" })).toBe(
      "one\ntwo\nthree\n",
    );
    expect(await core.readNamespacedPodLog({ name: "model-0", namespace: "default", tailLines: 2 })).toBe(
      "two\nthree\n",
    );
    expect((await failure(core.readNamespacedPodLog({ name: "ghost", namespace: "default" }))).code).toBe(
      404,
    );
  });

  it("streams appended lines to a follower until the pod goes", async () => {
    const { kube } = await startCluster();
    kube.store.create(pod("model-0"));
    kube.setPodLog("default", "model-0", "start\n");
    const res = await fetch(`${kube.url}/api/v1/namespaces/default/pods/model-0/log?follow=true`);
    const reader = res.body!.getReader();
    const chunks: string[] = [];
    const ended: boolean[] = [];
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value).toString());
      }
      ended.push(true);
    })();
    await eventually(chunks, (c) => c.join("") === "start\n", "the existing log");
    kube.appendPodLog("default", "model-0", "more\n");
    await eventually(chunks, (c) => c.join("") === "start\nmore\n", "the appended line");
    kube.store.delete({ apiVersion: "v1", kind: "Pod", namespace: "default", name: "model-0" });
    await eventually(ended, (e) => e.length === 1, "the follow stream to end");
  });
});
