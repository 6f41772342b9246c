import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CloudLedger } from "../cloud/ledger.js";
import { STAGES, type Stage } from "../cloud/terraform.js";

/**
 * The simulator's control URL: plain HTTP on loopback, so scripts and people (curl) set the same
 * scenes tests set. Routes:
 *   POST /controllers/<name>/stop|start   argocd, kro, kuberay, karpenter, lb-controller, ebs-csi, litellm
 *   GET  /ledger                          {"resources":[{kind,id,name,hourlyUsd,since,tags,createdBy}],"hourlyUsd"}
 *   POST /faults/capacity?family=g6       that instance family has no capacity (DELETE clears)
 *   POST /faults/model-load?endpoint=<n>[&message=…]  the endpoint's model fails to load (DELETE clears)
 *   GET  /terraform                       {"applied":[stages]}
 *   POST /terraform/destroy?stage=<s>     200 when done, 409 with the real DependencyViolation text
 *   POST /terraform/apply?stage=<s>
 * Bad input answers 400/404 with a message naming what is accepted.
 */
export const CONTROLLER_NAMES = [
  "argocd",
  "kro",
  "kuberay",
  "karpenter",
  "lb-controller",
  "ebs-csi",
  "litellm",
] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface SimControls {
  ledger: CloudLedger;
  /** Stops/starts a controller; false when it is not installed (its stage is not applied). */
  setRunning(name: ControllerName, running: boolean): Promise<boolean>;
  running(name: ControllerName): boolean;
  /** Returns a function that clears the fault. */
  capacityFault(family: string): (() => void) | undefined;
  modelLoadFault(endpoint: string, message: string): () => void;
  terraform: {
    applied(): Stage[];
    apply(stage: Stage): Promise<void> | void;
    destroy(stage: Stage): Promise<void> | void;
  };
}

/** Python's/vLLM's error when the weights do not load (the default model-load fault message). */
export const DEFAULT_MODEL_LOAD_ERROR =
  "RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlServer(
  controls: SimControls,
  options: { port?: number } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const capacity = new Map<string, () => void>();
  const modelLoad = new Map<string, () => void>();

  const route = async (req: IncomingMessage, url: URL): Promise<[number, unknown]> => {
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/+$/, "");
    const ctl = /^\/controllers\/([^/]+)\/(stop|start)$/.exec(path);
    if (ctl && method === "POST") {
      const name = ctl[1] as ControllerName;
      if (!CONTROLLER_NAMES.includes(name))
        throw new HttpError(404, `unknown controller ${name} (known: ${CONTROLLER_NAMES.join(", ")})`);
      const ok = await controls.setRunning(name, ctl[2] === "start");
      if (!ok) throw new HttpError(409, `${name} is not installed (its Terraform stage is not applied)`);
      return [200, { controller: name, running: controls.running(name) }];
    }
    if (path === "/controllers" && method === "GET") {
      return [
        200,
        { controllers: CONTROLLER_NAMES.map((name) => ({ name, running: controls.running(name) })) },
      ];
    }
    if (path === "/ledger" && method === "GET") return [200, ledgerDocument(controls.ledger)];
    if (path === "/faults/capacity" && (method === "POST" || method === "DELETE")) {
      const family = required(url, "family");
      capacity.get(family)?.();
      capacity.delete(family);
      if (method === "POST") {
        const clear = controls.capacityFault(family);
        if (!clear)
          throw new HttpError(400, `no instance type of family ${family} is known to the simulator`);
        capacity.set(family, clear);
      }
      return [200, { family, unavailable: method === "POST" }];
    }
    if (path === "/faults/model-load" && (method === "POST" || method === "DELETE")) {
      const endpoint = required(url, "endpoint");
      modelLoad.get(endpoint)?.();
      modelLoad.delete(endpoint);
      if (method === "POST")
        modelLoad.set(
          endpoint,
          controls.modelLoadFault(endpoint, url.searchParams.get("message") ?? DEFAULT_MODEL_LOAD_ERROR),
        );
      return [200, { endpoint, failing: method === "POST" }];
    }
    if (path === "/terraform" && method === "GET") return [200, { applied: controls.terraform.applied() }];
    const tf = /^\/terraform\/(destroy|apply)$/.exec(path);
    if (tf && method === "POST") {
      const stage = required(url, "stage") as Stage;
      if (!STAGES.includes(stage))
        throw new HttpError(404, `unknown stage ${stage} (known: ${STAGES.join(", ")})`);
      try {
        await (tf[1] === "apply" ? controls.terraform.apply(stage) : controls.terraform.destroy(stage));
      } catch (error) {
        throw new HttpError(409, error instanceof Error ? error.message : String(error));
      }
      return [200, { applied: controls.terraform.applied() }];
    }
    throw new HttpError(
      404,
      `no route ${method} ${path} (see test/support/sim/README.md, "The control URL")`,
    );
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    req.resume();
    req.on("end", () => {
      route(req, url).then(
        ([status, body]) => send(res, status, body),
        (error: unknown) =>
          send(res, error instanceof HttpError ? error.status : 500, {
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
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

function required(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new HttpError(400, `missing query parameter ${name}`);
  return value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(`${JSON.stringify(body)}\n`);
}

/** What is billing now, as GET /ledger shows it. */
export function ledgerDocument(ledger: CloudLedger): {
  resources: {
    kind: string;
    id: string;
    name?: string;
    hourlyUsd: number;
    since: string;
    tags: Record<string, string>;
    createdBy: string;
  }[];
  hourlyUsd: number;
} {
  return {
    resources: ledger.billing().map((r) => ({
      kind: r.kind,
      id: r.id,
      ...(r.name ? { name: r.name } : {}),
      hourlyUsd: r.hourlyPrice,
      since: ledger.dateOf(r.launchedAtMinute).toISOString(),
      tags: r.tags,
      createdBy: r.createdBy,
    })),
    hourlyUsd: ledger.hourlyCost(),
  };
}
