import { once } from "node:events";
import { request } from "node:http";
import { type AddressInfo, createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { eventually, startCluster } from "./helpers.js";

/**
 * The port-forward wire protocol itself (v4.channel.k8s.io), with a raw WebSocket client: what any
 * client that speaks it, not only @kubernetes/client-node, sees.
 */
const servers: Server[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function echoServer(): Promise<number> {
  const server = createServer((sock) => sock.on("data", (d) => sock.write(`echo:${d.toString()}`)));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: one that was free a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

interface Frames {
  frames: { channel: number; payload: Buffer }[];
  closed: { done: boolean };
  ws: WebSocket;
}

function open(url: string, protocols: string[], headers: Record<string, string> = {}): Frames {
  const ws = new WebSocket(url, protocols, { headers });
  sockets.push(ws);
  const frames: Frames["frames"] = [];
  const closed = { done: false };
  ws.on("message", (data: Buffer) => frames.push({ channel: data[0]!, payload: data.subarray(1) }));
  ws.on("close", () => {
    closed.done = true;
  });
  ws.on("error", () => undefined);
  return { frames, closed, ws };
}

/** The HTTP status a refused upgrade answers with, and its Status message. */
function refusal(ws: WebSocket): Promise<{ status: number; message: string }> {
  return new Promise((resolve) => {
    ws.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { message: string };
        resolve({ status: res.statusCode ?? 0, message: body.message });
      });
    });
  });
}

/** An upgrade request with exactly these headers (the ws client refuses SPDY subprotocol names). */
function rawUpgrade(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; message: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
        ...headers,
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          message: (JSON.parse(Buffer.concat(chunks).toString()) as { message: string }).message,
        }),
      );
    });
    req.on("upgrade", () => reject(new Error("the server accepted the upgrade")));
    req.on("error", reject);
    req.end();
  });
}

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "model-0", namespace: "default" } };
const pfPath = "/api/v1/namespaces/default/pods/model-0/portforward";
const portBytes = (port: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
};

describe("test API server: port-forward wire protocol", () => {
  it("announces the port on the data and error channels, then relays data frames", async () => {
    const { kube } = await startCluster();
    kube.store.create(pod);
    kube.setPortForwardTarget("default", "model-0", 8000, { host: "127.0.0.1", port: await echoServer() });
    const { frames, ws } = open(`${kube.url.replace("http", "ws")}${pfPath}?ports=8000`, [
      "v4.channel.k8s.io",
    ]);
    await once(ws, "open");
    expect(ws.protocol).toBe("v4.channel.k8s.io");
    await eventually(frames, (f) => f.length >= 2, "the port header frames");
    expect(frames.slice(0, 2)).toEqual([
      { channel: 0, payload: portBytes(8000) },
      { channel: 1, payload: portBytes(8000) },
    ]);
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from("hi")]));
    await eventually(frames, (f) => f.length >= 3, "the echoed data frame");
    expect(frames[2]).toEqual({ channel: 0, payload: Buffer.from("echo:hi") });
  });

  it("reports a port with no target, or a refused connection, on the error channel", async () => {
    const { kube } = await startCluster();
    kube.store.create(pod);
    const none = open(`${kube.url.replace("http", "ws")}${pfPath}?ports=9000`, ["v4.channel.k8s.io"]);
    await eventually([none.closed], () => none.closed.done, "the socket to close");
    expect(none.frames.find((f) => f.channel === 1 && f.payload.length > 2)?.payload.toString()).toContain(
      "error forwarding port 9000 to pod default/model-0",
    );
    kube.setPortForwardTarget("default", "model-0", 8000, { host: "127.0.0.1", port: await closedPort() });
    const refused = open(`${kube.url.replace("http", "ws")}${pfPath}?ports=8000`, ["v4.channel.k8s.io"]);
    await eventually([refused.closed], () => refused.closed.done, "the socket to close");
    expect(refused.frames.find((f) => f.channel === 1 && f.payload.length > 2)?.payload.toString()).toMatch(
      /error forwarding port 8000 to pod default\/model-0: .*ECONNREFUSED/,
    );
  });

  it("refuses kubectl's SPDY protocols and unknown subprotocols with a 400 naming the supported one", async () => {
    const { kube } = await startCluster();
    kube.store.create(pod);
    const url = `${kube.url}${pfPath}?ports=8000`;
    // kubectl 1.32 first tunnels SPDY over WebSocket, then falls back to a plain SPDY upgrade.
    const attempts: Record<string, string>[] = [
      { Upgrade: "websocket", "Sec-WebSocket-Protocol": "SPDY/3.1+portforward.k8s.io" },
      { Upgrade: "SPDY/3.1", "X-Stream-Protocol-Version": "portforward.k8s.io" },
    ];
    for (const headers of attempts) {
      const answer = await rawUpgrade(url, headers);
      expect(answer.status).toBe(400);
      expect(answer.message).toContain("kubectl port-forward (SPDY");
      expect(answer.message).toContain("v4.channel.k8s.io");
    }
    expect(
      await rawUpgrade(url, { Upgrade: "websocket", "Sec-WebSocket-Protocol": "v5.channel.k8s.io" }),
    ).toEqual({
      status: 400,
      message:
        "requested protocol(s) are not supported: [v5.channel.k8s.io]; supports [v4.channel.k8s.io channel.k8s.io]",
    });
  });

  it("answers an upgrade without the bearer token with 401", async () => {
    const { kube } = await startCluster({ token: "s3cret" });
    kube.store.create(pod);
    const url = `${kube.url.replace("http", "ws")}${pfPath}?ports=8000`;
    expect((await refusal(open(url, ["v4.channel.k8s.io"]).ws)).status).toBe(401);
    const allowed = open(url, ["v4.channel.k8s.io"], { Authorization: "Bearer s3cret" });
    await once(allowed.ws, "open");
  });
});
