import type { TerraformProgress } from "../../adapters/terraform.js";
import { formatElapsed } from "../../core/clock.js";
import type { TaskHandle } from "../../ui/io-host.js";
import type { CommandContext } from "../context.js";

/** One listr task with the elapsed time in its title, refreshed every second. */
export async function runTask(
  ctx: CommandContext,
  title: string,
  run: (task: TaskHandle) => Promise<void>,
): Promise<void> {
  await ctx.io.runTasks([
    {
      title,
      run: async (task) => {
        const started = ctx.clock.now();
        let current = title;
        const wrapped: TaskHandle = {
          setTitle: (t) => {
            current = t;
            task.setTitle(`${t} (${formatElapsed(ctx.clock.now() - started)})`);
          },
          output: (line) => task.output(line),
          skip: (reason) => task.skip(reason),
        };
        const timer = setInterval(() => wrapped.setTitle(current), 1000);
        timer.unref();
        try {
          await run(wrapped);
        } finally {
          clearInterval(timer);
          wrapped.setTitle(current);
        }
      },
    },
  ]);
}

/** Shows the resource terraform is working on (title), and each start or failure (detail line). */
export function progressReporter(ctx: CommandContext, task: TaskHandle, base: string) {
  return (p: TerraformProgress) => {
    ctx.io.debug(p.message);
    if (!p.address) return;
    const verbs: Record<string, string> = {
      delete: "destroying",
      update: "updating",
      read: "reading",
      replace: "replacing",
    };
    const verb = verbs[p.action ?? ""] ?? "creating";
    if (p.type === "refresh_start") task.setTitle(`${base} — refreshing ${p.address}`);
    if (p.type === "apply_start" || p.type === "apply_progress")
      task.setTitle(`${base} — ${verb} ${p.address}`);
    if (p.type === "provision_start") task.setTitle(`${base} — provisioning ${p.address}`);
    if (p.type === "apply_start" && p.action !== "read") task.output(`${verb} ${p.address}`);
    if (p.type === "apply_errored") task.output(`failed: ${p.address}`);
  };
}
