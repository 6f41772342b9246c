/**
 * `aiplat bench <model>`: checks the options, finds the model in LiteLLM and what its GPUs cost,
 * asks before sending load (unless --yes), drives the levels with a live progress line, and reports
 * — also after Ctrl-C, with what was measured so far (then exit 130).
 */
import { keepAliveAgent } from "../../adapters/load/chat-stream.js";
import { costOf } from "../../core/bench/cost.js";
import { type BenchRawOptions, maxRequests, planBench } from "../../core/bench/options.js";
import { bestLevel } from "../../core/bench/sweep.js";
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { InterruptedError, UsageError } from "../../core/errors.js";
import { openLitellm, readMasterKey, requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { endpointPrice } from "./endpoint-price.js";
import { type BenchReport, latencyPlot, levelTable, toCsv, toJson, verdictLines } from "./report.js";
import { type LevelsResult, runLevels } from "./run-levels.js";

export interface BenchOptions extends BenchRawOptions {
  csv?: boolean | undefined;
}

async function confirmLoad(ctx: CommandContext, model: string, what: string): Promise<void> {
  if (ctx.globals.yes) return;
  if (!ctx.io.interactive) {
    throw new UsageError(`aiplat bench sends real load to ${model}; pass --yes to run it without a prompt.`, {
      hint: "Every request goes through LiteLLM to the endpoint's GPUs, next to any other traffic it serves.",
    });
  }
  const go = await ctx.io.prompt.confirm({
    flag: "--yes",
    message: `Send ${what} to ${model}? It shares the endpoint with any other traffic it serves.`,
    default: false,
  });
  if (!go) throw new InterruptedError("Nothing was sent.", { code: "declined" });
}

export async function runBench(ctx: CommandContext, model: string, options: BenchOptions): Promise<void> {
  const plan = planBench(options);
  const invalid = endpointOperandError(model, "model name");
  if (invalid) throw invalid;
  const cluster = await requireCluster(ctx, "aiplat bench");
  const litellm = await openLitellm(ctx, cluster);
  try {
    const registered = await litellm.client.listModels(ctx.signal);
    if (!registered.includes(model)) {
      throw new UsageError(`No model named ${model} is registered in LiteLLM.`, {
        code: "unknown-model",
        hint:
          registered.length > 0
            ? `Registered: ${registered.join(", ")}.`
            : "No model is registered: deploy one with `aiplat deploy-model`.",
      });
    }
    const price = await endpointPrice(cluster, model);
    await confirmLoad(ctx, model, maxRequests(plan));
    const apiKey = await readMasterKey(ctx, cluster);
    const target = {
      baseUrl: litellm.client.baseUrl,
      apiKey,
      model,
      agent: keepAliveAgent(litellm.client.baseUrl, 1024),
      timeoutMs: 120_000,
    };
    let result: LevelsResult = { levels: [], interrupted: false };
    try {
      await ctx.io.runTasks([
        {
          title: `Benchmarking ${model}`,
          run: async (task) => {
            let label = "";
            let total: number | undefined;
            result = await runLevels(
              target,
              plan,
              {
                start(l, t) {
                  label = l;
                  total = t;
                  task.setTitle(`Benchmarking ${model}: ${label}`);
                },
                progress(done, failed) {
                  task.output(`${done}${total === undefined ? "" : `/${total}`} requests, ${failed} failed`);
                },
                finish(level) {
                  ctx.io.info(
                    `${level.label}: ${level.stats.ok} ok, ${level.stats.failed} failed, ${level.stats.requestsPerSecond.toFixed(2)} req/s`,
                  );
                },
              },
              ctx.signal,
            );
          },
        },
      ]);
    } finally {
      target.agent.destroy();
    }
    const best = bestLevel(result.levels, plan.slo);
    const cost =
      best !== undefined && price !== undefined
        ? costOf({
            hourlyUsd: price.hourlyUsd,
            replicas: price.replicas,
            outputTokensPerSecond: best.stats.outputTokensPerSecond,
            requestsPerSecond: best.stats.requestsPerSecond,
            meanLatencyMs: best.stats.latencyMs?.mean ?? 0,
            targetRequestsPerSecond: plan.targetRps,
          })
        : undefined;
    const report: BenchReport = {
      model,
      plan,
      levels: result.levels,
      best,
      price,
      cost,
      interrupted: result.interrupted,
    };
    ctx.io.result(toJson(report), humanReport(ctx, report, options.csv === true));
    if (result.interrupted)
      throw new InterruptedError("Interrupted: the report covers the levels measured before Ctrl-C.");
  } finally {
    await litellm.close();
  }
}

function humanReport(ctx: CommandContext, report: BenchReport, csv: boolean): string {
  if (csv) return toCsv(report);
  const parts = [levelTable(report, ctx.io.style)];
  const plot = ctx.io.interactive ? latencyPlot(report.levels) : undefined;
  if (plot !== undefined) parts.push(plot);
  parts.push(verdictLines(report).join("\n"));
  return parts.join("\n\n");
}
