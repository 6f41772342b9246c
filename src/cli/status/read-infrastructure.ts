import { buildInfrastructure } from "../../core/status/infrastructure.js";
import type { InfrastructureSection, Section } from "../../core/status/types.js";
import type { CommandContext } from "../context.js";

/** terraform/ and the tfvars (which stages exist and are switched on) and the `up` journal. */
export async function readInfrastructure(ctx: CommandContext): Promise<Section<InfrastructureSection>> {
  try {
    const root = ctx.root();
    const [{ loadEnvironmentStages }, { loadJournal }] = await Promise.all([
      import("../up/stage-files.js"),
      import("../up/journal-store.js"),
    ]);
    const [stages, journal] = await Promise.all([
      loadEnvironmentStages(root, ctx.env),
      loadJournal(ctx.state().journalPath(ctx.env, "up"), ctx.env),
    ]);
    return { ok: true, ...buildInfrastructure(stages.entries, journal) };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

/** The message plus its hint: the hint is what tells the user how to get the section back. */
export function reasonOf(error: unknown): string {
  const e = error as { message?: string; hint?: string };
  const message = e?.message ?? String(error);
  return e?.hint ? `${message} ${e.hint}` : message;
}
