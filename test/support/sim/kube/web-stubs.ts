import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Tiny HTTP servers standing in for the web UIs behind port-forwards (`aiplat forward|open
 * webui|langfuse|ray:<endpoint>`): each answers every path with a page naming the application,
 * and `/health` with 200, so a forward can be proven end to end.
 */
export class WebStubs {
  private readonly servers = new Map<string, { server: Server; port: number }>();

  async portFor(title: string): Promise<number> {
    const existing = this.servers.get(title);
    if (existing) return existing.port;
    const server = createServer((req, res) => {
      if (req.url === "/health") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: true }));
        return;
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>${title}</title><h1>${title} (aiplat simulator)</h1>`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    this.servers.set(title, { server, port });
    return port;
  }

  async stop(): Promise<void> {
    for (const { server } of this.servers.values()) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.servers.clear();
  }
}

/** Which pods get which stub: by label, the container port and the page title. */
export const WEB_STUBS: { label: string; value: string; port: number; title: string }[] = [
  { label: "app.kubernetes.io/name", value: "open-webui", port: 8080, title: "Open WebUI" },
  { label: "app.kubernetes.io/name", value: "langfuse-web", port: 3000, title: "Langfuse" },
  { label: "ray.io/node-type", value: "head", port: 8265, title: "Ray Dashboard" },
];
