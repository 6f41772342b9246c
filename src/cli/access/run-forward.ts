/**
 * `aiplat forward <target...> [--port N]`: one local listener per target through the Kubernetes
 * API (no kubectl), the URLs printed at once, running until Ctrl-C. For litellm the base URL an
 * OpenAI client wants is printed too (the key comes from `aiplat key`, never printed here).
 */
import type { PortForwardHandle } from "../../adapters/kube/port-forward.js";
import { UsageError } from "../../core/errors.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { type ForwardTarget, resolveTarget } from "./targets.js";

export interface ForwardOptions {
  port?: number | undefined;
}

export interface OpenForward {
  target: ForwardTarget;
  handle: PortForwardHandle;
}

/** Starts one forward per target (all or none: a failure closes the ones already open). */
export async function startForwards(
  ctx: CommandContext,
  cluster: Cluster,
  targets: readonly ForwardTarget[],
  options: { port?: number | undefined; ephemeral?: boolean } = {},
): Promise<OpenForward[]> {
  const { startPortForward } = await import("../../adapters/kube/port-forward.js");
  const opened: OpenForward[] = [];
  try {
    for (const target of targets) {
      const handle = await startPortForward(cluster.config, cluster.objects, target, {
        localPort: options.port,
        // The Service's own port when free (what a user knows from kubectl), else the next one.
        preferredPort: options.ephemeral ? undefined : target.port,
        onError: (error) => ctx.io.debug(`forward ${target.name}: ${error.message}`),
      });
      opened.push({ target, handle });
      if (handle.note) ctx.io.warn(`${target.name}: ${handle.note}.`);
    }
  } catch (error) {
    await Promise.all(opened.map((f) => f.handle.close()));
    throw error;
  }
  return opened;
}

export function describeForward(
  ctx: CommandContext,
  f: OpenForward,
): { lines: string[]; data: Record<string, unknown> } {
  const { target, handle } = f;
  const lines = [
    `${target.name.padEnd(10)} ${handle.url}  ${target.title} (${target.namespace}/${target.service}:${target.port})`,
  ];
  const data: Record<string, unknown> = {
    target: target.name,
    url: handle.url,
    localPort: handle.localPort,
    service: `${target.namespace}/${target.service}`,
    servicePort: target.port,
  };
  if (target.name === "litellm") {
    lines.push(
      `${"".padEnd(10)} OpenAI base URL: ${handle.url}/v1  (API key: \`${aiplatCommand(ctx.globals, "key")}\`)`,
    );
    data.openaiBaseUrl = `${handle.url}/v1`;
  }
  return { lines, data };
}

/** Resolves once the command is interrupted (Ctrl-C). */
export function untilInterrupted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

export async function runForward(
  ctx: CommandContext,
  names: string[],
  options: ForwardOptions,
): Promise<void> {
  if (names.length === 0)
    throw new UsageError("Name what to forward: litellm, webui, langfuse or ray:<endpoint>.", {
      code: "bad-target",
    });
  if (options.port !== undefined && names.length > 1)
    throw new UsageError("--port applies to one target; forward several targets without it.", {
      code: "port-with-several-targets",
    });
  const targets = [...new Set(names)].map(resolveTarget);
  const cluster = await requireCluster(ctx, "Forwarding");
  const forwards = await startForwards(ctx, cluster, targets, { port: options.port });
  try {
    const described = forwards.map((f) => describeForward(ctx, f));
    ctx.io.write(`${described.flatMap((d) => d.lines).join("\n")}\n`);
    ctx.io.info(ctx.io.style.dim("Forwarding until Ctrl-C."));
    await untilInterrupted(ctx.signal);
    ctx.io.info("Stopped forwarding.");
    ctx.io.result({ forwards: described.map((d) => d.data) }, "");
  } finally {
    await Promise.all(forwards.map((f) => f.handle.close()));
  }
}
