import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { PortForward } from "@kubernetes/client-node";
import type { SimulatedCluster } from "../../support/sim/index.js";

/**
 * A local port forwarded to a pod through the test API server, the way `aiplat forward` and
 * `kubectl port-forward` do it (client-node's PortForward over WebSocket). Returns the local URL
 * and a close function.
 */
export async function forwardToPod(
  sim: SimulatedCluster,
  namespace: string,
  pod: string,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const pf = new PortForward(sim.kube.kubeconfig());
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    pf.portForward(namespace, pod, [port], sock, null, sock).catch(() => sock.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: local } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${local}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
