/** One valid catalog entry (gemma-4b as the shipped catalog has it), with `over` applied. */
export const catalogEntry = (over: Record<string, unknown> = {}) => ({
  name: "gemma-4b",
  model: "google/gemma-3-4b-it",
  description: "Gemma 3 4B",
  parametersB: 4.3,
  defaultMaxModelLen: 8192,
  contextLimit: 131072,
  gated: true,
  gpus: { g5: 1, g6: 1, g6e: 1 },
  layers: 34,
  kvHeads: 4,
  headDim: 256,
  ...over,
});

/** A catalog file holding these entries (JSON is YAML). */
export const catalogText = (models: unknown[]) => JSON.stringify({ models });
