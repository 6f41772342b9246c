/**
 * How a bench run reads: a table per level, a latency-against-throughput plot on a terminal wide
 * enough for it, CSV for spreadsheets, and the verdict — the best level that meets the SLOs, what a
 * million output tokens cost there, and how many replicas a target load needs.
 */
import type { CostReport } from "../../core/bench/cost.js";
import type { BenchPlan } from "../../core/bench/options.js";
import { TOKEN_APPROXIMATION_NOTE } from "../../core/bench/prompts.js";
import { judgeSlo, SLO_PERCENTILE } from "../../core/bench/slo.js";
import type { Distribution } from "../../core/bench/stats.js";
import { carriedRate, type MeasuredLevel } from "../../core/bench/sweep.js";
import type { Style } from "../../ui/io-host.js";

export interface EndpointPrice {
  hourlyUsd: number;
  replicas: number;
  /** "g6.xlarge × 1" — where the price comes from. */
  nodes: string;
}

export interface BenchReport {
  model: string;
  plan: BenchPlan;
  levels: MeasuredLevel[];
  best?: MeasuredLevel | undefined;
  price?: EndpointPrice | undefined;
  cost?: CostReport | undefined;
  interrupted: boolean;
}

const ms = (n: number | undefined) => (n === undefined ? "-" : n < 10 ? n.toFixed(1) : String(Math.round(n)));
const triple = (d: Distribution | undefined) =>
  d === undefined ? "-" : `${ms(d.p50)}/${ms(d.p90)}/${ms(d.p99)}`;
const pair = (d: Distribution | undefined) => (d === undefined ? "-" : `${ms(d.p50)}/${ms(d.p99)}`);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

export function levelTable(report: BenchReport, style: Style): string {
  const header = [
    "level",
    "ok",
    "failed",
    "TTFT p50/p90/p99 ms",
    "TPOT p50/p99 ms",
    "latency p50/p99 ms",
    "tokens/s",
    "req/s",
    "SLO",
  ];
  const rows = report.levels.map((l) => {
    const verdict = judgeSlo(l.stats, report.plan.slo);
    return [
      l.label,
      String(l.stats.ok),
      String(l.stats.failed),
      triple(l.stats.ttftMs),
      pair(l.stats.tpotMs),
      pair(l.stats.latencyMs),
      l.stats.outputTokensPerSecond.toFixed(1),
      l.stats.requestsPerSecond.toFixed(2),
      verdict.met ? "met" : `missed: ${verdict.missed.join(", ")}`,
    ];
  });
  const text = table([header, ...rows]);
  const lines = text.split("\n");
  return [style.bold(lines[0] ?? ""), ...lines.slice(1)].join("\n");
}

/** Time to first token (p90) against output tokens/s, one digit per level, on a small grid. */
export function latencyPlot(levels: readonly MeasuredLevel[], width = 48, height = 10): string | undefined {
  const points = levels
    .map((l, i) => ({ i, x: l.stats.outputTokensPerSecond, y: l.stats.ttftMs?.p90 }))
    .filter((p): p is { i: number; x: number; y: number } => p.y !== undefined);
  if (points.length < 2) return undefined;
  const maxX = Math.max(...points.map((p) => p.x)) || 1;
  const maxY = Math.max(...points.map((p) => p.y)) || 1;
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => " "));
  for (const p of points) {
    const col = Math.min(width - 1, Math.round((p.x / maxX) * (width - 1)));
    const row = height - 1 - Math.min(height - 1, Math.round((p.y / maxY) * (height - 1)));
    (grid[row] as string[])[col] = String((p.i + 1) % 10);
  }
  const label = `${Math.round(maxY)} ms`;
  const lines = grid.map((r, i) => `${(i === 0 ? label : "").padStart(label.length)} │${r.join("")}`);
  lines.push(`${" ".repeat(label.length)} └${"─".repeat(width)}`);
  lines.push(
    `${" ".repeat(label.length)}  TTFT p90 against output tokens/s (0 … ${maxX.toFixed(0)}); digits are the levels in order`,
  );
  return lines.join("\n");
}

export function verdictLines(report: BenchReport): string[] {
  const lines: string[] = [];
  const slo = [
    report.plan.slo.ttftMs !== undefined
      ? `TTFT ${SLO_PERCENTILE} ≤ ${report.plan.slo.ttftMs} ms`
      : undefined,
    report.plan.slo.tpotMs !== undefined
      ? `TPOT ${SLO_PERCENTILE} ≤ ${report.plan.slo.tpotMs} ms`
      : undefined,
    "no failures",
  ].filter(Boolean);
  if (report.best === undefined) {
    lines.push(`No level met the SLOs (${slo.join(", ")}): try lower load, or more replicas.`);
  } else {
    lines.push(
      `Best level meeting the SLOs (${slo.join(", ")}): ${report.best.label} — ${carriedRate(report.best).toFixed(2)} req/s, ${report.best.stats.outputTokensPerSecond.toFixed(1)} output tokens/s.`,
    );
  }
  if (report.price !== undefined && report.cost !== undefined) {
    if (report.cost.usdPerMillionOutputTokens !== undefined) {
      lines.push(
        `Cost: $${report.cost.usdPerMillionOutputTokens.toFixed(2)} per million output tokens at $${report.price.hourlyUsd.toFixed(2)}/h (${report.price.nodes}; approximate on-demand prices).`,
      );
    }
    if (report.cost.replicasForTarget !== undefined) {
      lines.push(
        `Replicas for ${report.plan.targetRps} req/s: ${report.cost.replicasForTarget} (${report.cost.requestsPerSecondPerReplica.toFixed(2)} req/s per replica at that level).`,
      );
    }
    lines.push(
      `Ray Serve autoscaling: target_ongoing_requests ≈ ${report.cost.suggestedTargetOngoingRequests} per replica keeps each replica at that level.`,
    );
  } else if (report.best !== undefined) {
    lines.push("Cost: unknown (the endpoint's GPU nodes were not found).");
  }
  lines.push(`Note: ${TOKEN_APPROXIMATION_NOTE}.`);
  if (report.interrupted) lines.push("Interrupted: the levels above are what was measured before Ctrl-C.");
  return lines;
}

const CSV_HEADER = [
  "level",
  "mode",
  "load",
  "requests",
  "ok",
  "failed",
  "ttft_p50_ms",
  "ttft_p90_ms",
  "ttft_p99_ms",
  "tpot_p50_ms",
  "tpot_p99_ms",
  "latency_p50_ms",
  "latency_p99_ms",
  "output_tokens_per_s",
  "requests_per_s",
  "slo_met",
];

export function toCsv(report: BenchReport): string {
  const cell = (v: number | string | boolean | undefined) => {
    if (v === undefined) return "";
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = report.levels.map((l) =>
    [
      l.label,
      l.mode,
      l.load,
      l.stats.requests,
      l.stats.ok,
      l.stats.failed,
      l.stats.ttftMs?.p50,
      l.stats.ttftMs?.p90,
      l.stats.ttftMs?.p99,
      l.stats.tpotMs?.p50,
      l.stats.tpotMs?.p99,
      l.stats.latencyMs?.p50,
      l.stats.latencyMs?.p99,
      l.stats.outputTokensPerSecond,
      l.stats.requestsPerSecond,
      judgeSlo(l.stats, report.plan.slo).met,
    ]
      .map(cell)
      .join(","),
  );
  return [CSV_HEADER.join(","), ...rows].join("\n");
}

export function toJson(report: BenchReport): Record<string, unknown> {
  return {
    model: report.model,
    mode: report.plan.mode,
    inputTokens: report.plan.inputTokens,
    outputTokens: report.plan.outputTokens,
    inputTokensApproximate: true,
    slo: report.plan.slo,
    levels: report.levels.map((l) => ({ ...l, sloMet: judgeSlo(l.stats, report.plan.slo).met })),
    best: report.best?.label ?? null,
    price: report.price ?? null,
    cost: report.cost ?? null,
    interrupted: report.interrupted,
  };
}
