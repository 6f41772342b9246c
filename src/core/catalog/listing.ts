/**
 * `aiplat models --catalog`: the catalog as a user chooses from it — size, GPUs per worker on each
 * family, context, gated or not, and what one replica costs per hour — sized exactly as
 * `deploy-model <name>` would size it with no other flags (same planEndpoint, same prices).
 */
import { planEndpoint } from "../endpoint/resolve-spec.js";
import type { CatalogModel, GpuFamily } from "./catalog.js";

export interface CatalogRow {
  name: string;
  model: string;
  description: string;
  parametersB: number;
  /** GPUs per worker that deploy-model picks by default (fits every family). */
  gpus: number;
  /** The smallest GPU count per family the catalog suggests (null: does not fit even 8). */
  gpusByFamily: Record<GpuFamily, number | null>;
  /** Context the endpoint gets by default, and the model's own maximum. */
  maxModelLen: number;
  contextLimit: number;
  gated: boolean;
  /** Approximate USD per hour for one replica's GPU node: cheapest and dearest candidate instance. */
  hourlyUsd: { min: number; max: number } | undefined;
}

export function catalogRows(catalog: readonly CatalogModel[]): CatalogRow[] {
  return catalog.map((entry) => {
    // Stryker disable next-line ObjectLiteral: a row reads the spec's GPUs, context and price, never its name
    const inputs = { name: entry.name };
    const planned = planEndpoint({ model: entry.model, entry }, inputs);
    const cost = planned.fit.cost;
    return {
      name: entry.name,
      model: entry.model,
      description: entry.description,
      parametersB: entry.parametersB,
      gpus: planned.spec.gpuCount,
      gpusByFamily: { ...entry.gpus },
      maxModelLen: planned.spec.maxModelLen,
      contextLimit: entry.contextLimit,
      gated: entry.gated,
      hourlyUsd: cost === undefined ? undefined : { min: cost.minUsd, max: cost.maxUsd },
    };
  });
}

const contextText = (tokens: number) => (tokens >= 1024 ? `${Math.round(tokens / 1024)}k` : String(tokens));
const familyText = (n: number | null) => (n === null ? "-" : String(n));

/** A fixed-width table for a terminal, with the price note under it. */
export function formatCatalog(rows: readonly CatalogRow[], priceNote: string): string {
  const header = ["NAME", "MODEL", "PARAMS", "GPUS", "G5/G6/G6E", "CONTEXT", "GATED", "$/H PER REPLICA"];
  const body = rows.map((r) => [
    r.name,
    r.model,
    `${r.parametersB}B`,
    String(r.gpus),
    [r.gpusByFamily.g5, r.gpusByFamily.g6, r.gpusByFamily.g6e].map(familyText).join("/"),
    `${contextText(r.maxModelLen)} of ${contextText(r.contextLimit)}`,
    r.gated ? "yes" : "no",
    r.hourlyUsd === undefined ? "?" : `${r.hourlyUsd.min.toFixed(2)}-${r.hourlyUsd.max.toFixed(2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(header),
    ...body.map(line),
    "",
    `GPUS: per worker as deploy-model picks it (fits every family); G5/G6/G6E: the smallest count per family ("-": does not fit).`,
    `CONTEXT: the default --max-model-len of the model's own maximum. GATED: needs an accepted licence and \`aiplat secret hf-token\`.`,
    `$/H: one replica's GPU node, cheapest to dearest instance Karpenter may pick (${priceNote}).`,
    "Deploy one with `aiplat deploy-model <name>`.",
  ].join("\n");
}
