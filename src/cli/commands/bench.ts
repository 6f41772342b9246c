import type { BenchOptions } from "../bench/run-bench.js";
import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";

export const benchCommand: CommandModule = {
  register(program, action) {
    program
      .command("bench")
      .description(
        "load-test a model through LiteLLM: TTFT/TPOT percentiles, tokens/s, the best load under SLOs, $ per million tokens",
      )
      .argument("<model>", "the model's name in LiteLLM (the endpoint name)")
      .option("--concurrency <list>", "closed loop: requests in flight per level, e.g. 1,4,16 (default)")
      .option("--rate <list>", "open loop: Poisson arrivals per second per level, e.g. 0.5,1,2")
      .option(
        "--sweep",
        "find the highest load that meets the SLOs (synchronous, throughput, then rates between)",
      )
      .option("--input-tokens <n>", "prompt length in tokens, approximate (default 256)")
      .option("--output-tokens <n>", "answer length in tokens (max_tokens; default 128)")
      .option("--requests <n>", "requests per level (default 32, or unbounded by count with --duration)")
      .option("--duration <d>", "time per level, e.g. 30s (with --requests: whichever ends first)")
      .option("--slo-ttft <d>", "time-to-first-token objective at p90, e.g. 500ms, 1s (default 1s)")
      .option("--slo-tpot <d>", "time-per-output-token objective at p90, e.g. 50ms")
      .option("--target-rps <n>", "a load to size replicas for, in requests/s")
      .option("--seed <n>", "seed of the open-loop arrival schedule (default 1)")
      .option("--csv", "print the levels as CSV")
      .action(
        action(async (ctx: CommandContext, options: BenchOptions, args: string[]) => {
          const { runBench } = await import("../bench/run-bench.js");
          await runBench(ctx, args[0] as string, options);
        }),
      );
  },
};
