import { Option } from "commander";
import { parseDurationOption } from "../../core/duration-option.js";
import type { CommandContext } from "../context.js";
import type { LogsOptions } from "../logs/run-logs.js";
import { type CommandModule, parsePositiveInt } from "../program.js";

export const logsCommand: CommandModule = {
  register(program, action) {
    program
      .command("logs")
      .description(
        "an endpoint's Ray head, GPU worker and registration logs, prefixed by pod; why a pod has not started when it has not",
      )
      .argument("<endpoint>", "endpoint name (see `aiplat models`)")
      .option("-f, --follow", "keep streaming, interleaved as lines arrive; follows replaced workers", false)
      .option("--since <duration>", "only lines newer than this (e.g. 10m, 1h)", (v) =>
        Math.ceil(parseDurationOption("--since", v) / 1000),
      )
      .option("--tail <n>", "only the last N lines of each pod", parsePositiveInt("--tail"))
      .addOption(
        new Option("--component <component>", "only this part of the endpoint").choices([
          "head",
          "worker",
          "register",
        ]),
      )
      .action(action(runLogsCommand));
  },
};

async function runLogsCommand(ctx: CommandContext, options: LogsOptions, args: string[]): Promise<void> {
  const { runLogs } = await import("../logs/run-logs.js");
  await runLogs(ctx, args[0] ?? "", options);
}
