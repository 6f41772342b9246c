import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeKubeconfig } from "./kubeconfig.js";
import { type KubeServer, type KubeServerOptions, startKubeServer } from "./server.js";

/**
 * `npm run test-cluster -- --port <p> --kubeconfig <file> [--token <t>]`: the test API server
 * standalone, for people and for checks. Prints the URL and the kubeconfig path, runs until
 * SIGINT/SIGTERM. Arguments are a small flag map so later flags (e.g. --simulate) slot in: read
 * `parseLaunchArgs(argv).flags` and wrap `launchTestCluster`.
 */
export interface LaunchArgs {
  port: number;
  kubeconfig?: string;
  token?: string;
  /** Every `--name value` / `--name` pair, for options added by others. */
  flags: Map<string, string | true>;
}

export function parseLaunchArgs(argv: string[]): LaunchArgs {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument: ${arg}`);
    const eq = arg.indexOf("=");
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags.set(arg.slice(2), next);
      i++;
    } else flags.set(arg.slice(2), true);
  }
  const port = Number(flags.get("port") ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got ${String(flags.get("port"))}`);
  const str = (name: string) => {
    const v = flags.get(name);
    return typeof v === "string" ? v : undefined;
  };
  return {
    port,
    kubeconfig: str("kubeconfig"),
    token: str("token") ?? process.env.AIPLAT_TEST_CLUSTER_TOKEN,
    flags,
  };
}

/** Start the server and write the kubeconfig; the caller owns stopping it. */
export async function launchTestCluster(
  args: LaunchArgs,
  extra: KubeServerOptions = {},
): Promise<{ url: string; server: KubeServer; stop: () => Promise<void> }> {
  const server = await startKubeServer({ ...extra, port: args.port, token: args.token });
  if (args.kubeconfig) writeKubeconfig(resolve(args.kubeconfig), server.url, args.token);
  return { url: server.url, server, stop: () => server.stop() };
}

async function main(argv: string[]): Promise<void> {
  const args = parseLaunchArgs(argv);
  const { url, stop } = await launchTestCluster(args);
  console.log(`test cluster API server listening on ${url}`);
  if (args.kubeconfig)
    console.log(
      `kubeconfig written to ${resolve(args.kubeconfig)} (kubectl --kubeconfig ${resolve(args.kubeconfig)} get ns)`,
    );
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

// Compare whole paths: test/support/sim/launch.ts has the same file name.
const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`test-cluster: ${(error as Error).message}`);
    process.exit(2);
  });
}
