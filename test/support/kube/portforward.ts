import type { IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { KubeError } from "./errors.js";
import type { Faults } from "./faults.js";

/**
 * `pods/<name>/portforward` over WebSocket, the way @kubernetes/client-node 1.4 speaks it
 * (TOOLCHAIN.md): subprotocol `v4.channel.k8s.io` (or plain `channel.k8s.io`), binary frames
 * `[channel][payload]`, channel 2i carries data for the i-th port and 2i+1 its errors, and the
 * server's first frame on each channel is the port number as two little-endian bytes. Each port
 * is relayed to the TCP address the test assigned to that pod and port.
 */
export interface ForwardTarget {
  host: string;
  port: number;
}

const SUPPORTED = ["v4.channel.k8s.io", "channel.k8s.io"];

const KUBECTL_UNSUPPORTED =
  "kubectl port-forward (SPDY, or SPDY tunnelled over WebSocket) is not supported by this test server; it forwards over WebSocket with the v4.channel.k8s.io protocol (@kubernetes/client-node PortForward)";

/**
 * 400 for what this server does not speak, before the handshake: kubectl 1.32 first offers
 * `SPDY/3.1+portforward.k8s.io` over WebSocket, then falls back to a plain SPDY upgrade; both get
 * the same message naming the supported protocol (kubectl prints it). Offering no subprotocol is
 * accepted as channel.k8s.io, as kube-apiserver's stream negotiation does.
 */
export function checkForwardProtocol(req: IncomingMessage): void {
  const upgrade = String(req.headers.upgrade ?? "").toLowerCase();
  const offered = String(req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (upgrade !== "websocket" || offered.some((p) => p.startsWith("SPDY")))
    throw new KubeError(400, "BadRequest", KUBECTL_UNSUPPORTED);
  if (offered.length > 0 && !offered.some((p) => SUPPORTED.includes(p))) {
    throw new KubeError(
      400,
      "BadRequest",
      `requested protocol(s) are not supported: [${offered.join(" ")}]; supports [${SUPPORTED.join(" ")}]`,
    );
  }
}

export class PortForwarder {
  private readonly targets = new Map<string, ForwardTarget>();
  private readonly wss: WebSocketServer;
  private readonly open = new Set<{ ws: WebSocket; sockets: Socket[]; pod: string }>();

  constructor(private readonly faults: Faults) {
    this.wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => SUPPORTED.find((p) => protocols.has(p)) ?? false,
    });
    faults.onDropPortForwards(() => this.dropAll());
  }

  setTarget(namespace: string, pod: string, port: number, target: ForwardTarget): void {
    this.targets.set(`${namespace}/${pod}/${port}`, target);
  }

  clearTarget(namespace: string, pod: string, port: number): void {
    this.targets.delete(`${namespace}/${pod}/${port}`);
  }

  /** Complete the WebSocket handshake and start relaying. Ports were validated by the caller. */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    namespace: string,
    pod: string,
    ports: number[],
  ): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.relay(ws, namespace, pod, ports));
  }

  private relay(ws: WebSocket, namespace: string, pod: string, ports: number[]): void {
    const session = { ws, sockets: [] as Socket[], pod: `${namespace}/${pod}` };
    this.open.add(session);
    let relayed = 0;
    const frame = (channel: number, payload: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), payload]));
    };
    let openSockets = ports.length;
    ports.forEach((port, i) => {
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port);
      frame(2 * i, portBytes);
      frame(2 * i + 1, portBytes);
      const target = this.targets.get(`${namespace}/${pod}/${port}`);
      if (!target) {
        frame(
          2 * i + 1,
          Buffer.from(
            `error forwarding port ${port} to pod ${namespace}/${pod}: no process listens on port ${port}`,
          ),
        );
        ws.close();
        return;
      }
      const sock = connect(target.port, target.host);
      session.sockets[i] = sock;
      sock.on("data", (chunk: Buffer) => {
        frame(2 * i, chunk);
        relayed += chunk.length;
        const limit = this.faults.current.portForwardDropAfterBytes;
        if (limit !== undefined && relayed >= limit) this.drop(session);
      });
      sock.on("error", (error) => {
        frame(
          2 * i + 1,
          Buffer.from(`error forwarding port ${port} to pod ${namespace}/${pod}: ${error.message}`),
        );
      });
      sock.on("close", () => {
        openSockets--;
        if (openSockets <= 0) ws.close();
      });
    });
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data.toString(), "utf8");
      if (buf.length < 1) return;
      const channel = buf[0]!;
      if (channel % 2 !== 0) return;
      session.sockets[channel / 2]?.write(buf.subarray(1));
    });
    ws.on("close", () => {
      this.open.delete(session);
      for (const s of session.sockets) s?.end();
    });
  }

  /** A deleted pod takes its forwarded connections with it, as on a real node. */
  dropPod(namespace: string, pod: string): void {
    for (const session of [...this.open]) if (session.pod === `${namespace}/${pod}`) this.drop(session);
  }

  private drop(session: { ws: WebSocket; sockets: Socket[]; pod: string }): void {
    session.ws.terminate();
    for (const s of session.sockets) s?.destroy();
    this.open.delete(session);
  }

  dropAll(): void {
    for (const session of [...this.open]) this.drop(session);
  }

  close(): void {
    this.dropAll();
    this.wss.close();
  }
}
