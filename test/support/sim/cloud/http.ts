import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CloudLedger } from "./ledger.js";
import { type SimulatedTerraform, STAGES, type Stage } from "./terraform.js";

/**
 * The simulated account over HTTP, so that processes outside the test (a fixture Terraform stage's
 * local-exec, a spawned CLI) can drive and read it: `POST /stages/<stage>/apply|destroy` (409 with
 * EC2's DependencyViolation message when the network still has dependencies), `GET /resources
 * [?kind=instance]`, `GET /cost`.
 */
export async function startCloudApi(
  ledger: CloudLedger,
  terraform: SimulatedTerraform,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const stage = /^\/stages\/(.+)\/(apply|destroy)$/.exec(decodeURIComponent(url.pathname));
    if (req.method === "POST" && stage) {
      const name = stage[1] as Stage;
      if (!STAGES.includes(name))
        return send(404, { error: `unknown stage ${name} (known: ${STAGES.join(", ")})` });
      try {
        if (stage[2] === "apply") terraform.apply(name);
        else await terraform.destroy(name);
        return send(200, { applied: terraform.applied() });
      } catch (error) {
        return send(409, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (req.method === "GET" && url.pathname === "/resources") {
      const kind = url.searchParams.get("kind") ?? undefined;
      return send(200, { resources: ledger.running().filter((r) => kind === undefined || r.kind === kind) });
    }
    if (req.method === "GET" && url.pathname === "/cost") {
      return send(200, { hourly: ledger.hourlyCost(), accrued: ledger.accruedCost() });
    }
    return send(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
