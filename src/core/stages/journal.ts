/**
 * The `up` journal (.aiplat/journal/<env>/up.json): what happened to each stage in the last runs,
 * so that a re-run says where it resumes and a failure or Ctrl-C is never recorded as done.
 * Reality wins over the journal: every stage is planned again, and a stage journaled as done whose
 * plan shows changes is applied again.
 */
import type { PlanSummary } from "./plan-summary.js";

export type StageStatus = "running" | "done" | "failed" | "interrupted" | "skipped";

export interface StageRecord {
  status: StageStatus;
  /** ISO time of the last status change. */
  at: string;
  summary?: PlanSummary | undefined;
  error?: string | undefined;
}

export interface UpJournal {
  version: 1;
  env: string;
  stages: Record<string, StageRecord>;
}

export function emptyJournal(env: string): UpJournal {
  return { version: 1, env, stages: {} };
}

/** Accepts whatever was on disk; a foreign or broken journal is treated as empty (reality is re-checked). */
export function parseJournal(env: string, data: unknown): UpJournal {
  const j = data as Partial<UpJournal> | undefined;
  // `stages: null` passes the typeof test and spreads to {}: empty too.
  if (j?.version !== 1 || typeof j.stages !== "object") return emptyJournal(env);
  return { version: 1, env, stages: { ...j.stages } };
}

export function recordStage(
  journal: UpJournal,
  stage: string,
  status: StageStatus,
  at: Date,
  extra: { summary?: PlanSummary; error?: string } = {},
): UpJournal {
  return { ...journal, stages: { ...journal.stages, [stage]: { status, at: at.toISOString(), ...extra } } };
}

/** The first stage (in order) that is not done: where a re-run resumes; undefined when all are done. */
export function resumePoint(journal: UpJournal, stages: readonly string[]): string | undefined {
  return stages.find((s) => journal.stages[s]?.status !== "done" && journal.stages[s]?.status !== "skipped");
}

/** Whether the journal shows an unfinished earlier run (something failed, was interrupted or is mid-run). */
export function hasUnfinishedRun(journal: UpJournal): boolean {
  return Object.values(journal.stages).some(
    (r) => r.status === "failed" || r.status === "interrupted" || r.status === "running",
  );
}

export interface SelectionOptions {
  from?: string | undefined;
  only?: readonly string[] | undefined;
}

/** Which stages this run touches; the others are reported as not selected. */
export function selectStages(stages: readonly string[], options: SelectionOptions): string[] {
  const only = options.only;
  if (only && only.length > 0) return stages.filter((s) => only.includes(s));
  if (options.from) {
    const index = stages.indexOf(options.from);
    return index < 0 ? [] : stages.slice(index);
  }
  return [...stages];
}

/**
 * The command that resumes an interrupted or failed `up`: the same selection the user made (a run
 * limited with --only must not grow into every stage), otherwise plain `up`, which finds its place
 * from the journal.
 */
export function resumeCommand(env: string, selection: SelectionOptions = {}): string {
  if (selection.only && selection.only.length > 0)
    return `aiplat up --env ${env} --only ${selection.only.join(",")}`;
  return selection.from ? `aiplat up --env ${env} --from ${selection.from}` : `aiplat up --env ${env}`;
}
