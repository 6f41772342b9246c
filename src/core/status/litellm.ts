import type { LitellmSection } from "./types.js";

/**
 * LiteLLM's health and registered models against the endpoints that exist. A registered model no
 * InferenceEndpoint backs is a leftover (an `undeploy-model` that could not reach LiteLLM): every
 * request to it fails, so each comes with the command that deregisters it.
 */
export function buildLitellm(
  health: { healthy: boolean; database?: string | undefined },
  registered: readonly string[],
  endpointNames: readonly string[] | undefined,
  fixCommand: (model: string) => string,
): LitellmSection {
  const known = endpointNames ? new Set(endpointNames) : undefined;
  const names = [...new Set(registered)].sort();
  const models = names.map((name) => ({ name, backed: known ? known.has(name) : true }));
  const orphans = models.filter((m) => !m.backed).map((m) => ({ name: m.name, fix: fixCommand(m.name) }));
  return { healthy: health.healthy, database: health.database, models, orphans };
}
