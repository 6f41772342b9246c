import type { UpJournal } from "../stages/journal.js";
import type { StagePlanEntry } from "../stages/stages.js";
import type { InfrastructureSection, StageRow } from "./types.js";

/**
 * Each stage as the `up` journal last recorded it. A stage switched off in the tfvars whose last
 * record is "done" was applied before it was switched off: `up` skips it from now on, so its
 * resources stay (and bill) until `aiplat destroy` or switching it back on.
 */
export function buildInfrastructure(
  entries: readonly StagePlanEntry[],
  journal: UpJournal,
): InfrastructureSection {
  const stages: StageRow[] = entries.map((entry) => {
    const record = journal.stages[entry.path];
    const status = record?.status ?? "never";
    return {
      stage: entry.path,
      enabled: entry.enabled,
      status,
      at: record?.at,
      holdsResources: !entry.enabled && status === "done",
    };
  });
  return { stages };
}
