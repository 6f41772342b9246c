/**
 * `aiplat open <webui|langfuse|ray:<endpoint>|argocd>`: forwards (as `aiplat forward` does) and
 * opens the browser on it, keeping the forward until Ctrl-C since the page needs it. `argocd` is
 * the managed ArgoCD's own URL from EKS DescribeCapability: no forward. Without a display (no
 * DISPLAY/WAYLAND_DISPLAY on Linux, no $BROWSER) or when the browser cannot start, the URL is
 * printed instead — the same line either way, so a script or an SSH session still gets it.
 */
import { PrerequisiteError, UsageError } from "../../core/errors.js";
import { findArgoCdUrl } from "../bootstrap/argocd-url.js";
import { requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { describeForward, startForwards, untilInterrupted } from "./run-forward.js";
import { resolveTarget } from "./targets.js";

/** How to open a URL here: $BROWSER wins (as xdg-utils and Python's webbrowser honour it). */
export function browserCommand(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): { file: string; args: string[] } | undefined {
  if (env.BROWSER) return { file: env.BROWSER, args: [] };
  if (platform === "darwin") return { file: "open", args: [] };
  if (platform === "win32") return { file: "cmd", args: ["/c", "start", '""'] };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { file: "xdg-open", args: [] };
  return undefined;
}

/** Opens the URL when there is a display; true when a browser was started. */
async function launch(ctx: CommandContext, url: string): Promise<boolean> {
  const browser = browserCommand(ctx.processEnv);
  if (!browser) {
    ctx.io.info("No display to open a browser on: open the URL yourself.");
    return false;
  }
  try {
    const result = await ctx.adapters.process.run(browser.file, [...browser.args, url]);
    if (result.exitCode === 0) return true;
    ctx.io.warn(`${browser.file} exited ${result.exitCode}: open the URL yourself.`);
  } catch (error) {
    ctx.io.warn(`Could not start ${browser.file} (${(error as Error).message}): open the URL yourself.`);
  }
  return false;
}

export async function runOpen(ctx: CommandContext, name: string): Promise<void> {
  if (name === "litellm") {
    throw new UsageError("LiteLLM is an API, not a page to open.", {
      code: "bad-target",
      hint: "Use `aiplat forward litellm` for its URL, or `aiplat chat` to talk to a model.",
    });
  }
  if (name === "argocd") {
    const url = await findArgoCdUrl(ctx);
    if (!url) {
      throw new PrerequisiteError("The managed ArgoCD URL is not known for this environment.", {
        code: "argocd-url-missing",
        hint: "It comes from the cluster stage's outputs (argocd_capability_name): run `aiplat up` with the gitops capability on.",
      });
    }
    ctx.io.write(`argocd     ${url}  ArgoCD (managed by EKS)\n`);
    const opened = await launch(ctx, url);
    ctx.io.result({ target: "argocd", url, opened }, "");
    return;
  }
  const target = resolveTarget(name);
  const cluster = await requireCluster(ctx, "Opening");
  const [forward] = await startForwards(ctx, cluster, [target]);
  if (!forward) return;
  try {
    const described = describeForward(ctx, forward);
    ctx.io.write(`${described.lines.join("\n")}\n`);
    const opened = await launch(ctx, forward.handle.url);
    ctx.io.info(ctx.io.style.dim("Forwarding until Ctrl-C (the page needs it)."));
    await untilInterrupted(ctx.signal);
    ctx.io.result({ ...described.data, opened }, "");
  } finally {
    await forward.handle.close();
  }
}
