/**
 * ArgoCD Application status as `aiplat bootstrap` shows it: one row per app with sync, health and
 * ArgoCD's own message, and whether the rollout is done, still going, or has failed (Degraded).
 */

export interface ApplicationLike {
  metadata?: { name?: string; namespace?: string };
  status?: {
    sync?: { status?: string };
    health?: { status?: string; message?: string };
    conditions?: { type?: string; message?: string }[];
    operationState?: { phase?: string; message?: string };
  };
}

export interface AppRow {
  app: string;
  sync: string;
  health: string;
  message: string;
}

export function toAppRow(app: ApplicationLike): AppRow {
  const status = app.status ?? {};
  return {
    app: app.metadata?.name ?? "?",
    sync: status.sync?.status ?? "Unknown",
    health: status.health?.status ?? "Unknown",
    message: appMessage(app),
  };
}

/** The most useful reason ArgoCD gives: health message, then conditions, then the last operation. */
export function appMessage(app: ApplicationLike): string {
  const status = app.status ?? {};
  const parts: string[] = [];
  if (status.health?.message) parts.push(status.health.message);
  // Stryker disable next-line ArrayDeclaration: a string element has no .message, so the body skips it
  for (const c of status.conditions ?? []) if (c.message) parts.push(c.message);
  const op = status.operationState;
  if (op?.message && (op.phase === "Failed" || op.phase === "Error" || parts.length === 0))
    parts.push(op.message);
  return parts.join("; ");
}

export function isAppReady(row: AppRow): boolean {
  return row.sync === "Synced" && row.health === "Healthy";
}

export interface RolloutState {
  rows: AppRow[];
  done: boolean;
  degraded: AppRow[];
  pending: AppRow[];
}

/**
 * `expected` are the apps bootstrap applied: until each one is seen (and ready), the rollout is not
 * done, even if the apps seen so far are healthy.
 */
export function assessRollout(
  apps: readonly ApplicationLike[],
  expected: readonly string[] = [],
): RolloutState {
  const rows = apps.map(toAppRow).sort((a, b) => a.app.localeCompare(b.app));
  for (const name of expected) {
    if (!rows.some((r) => r.app === name))
      rows.push({ app: name, sync: "Missing", health: "Missing", message: "" });
  }
  const degraded = rows.filter((r) => r.health === "Degraded");
  const pending = rows.filter((r) => !isAppReady(r));
  return { rows, done: rows.length > 0 && pending.length === 0, degraded, pending };
}

export function formatAppTable(rows: readonly AppRow[], maxMessage = 80): string {
  const header: AppRow = { app: "APP", sync: "SYNC", health: "HEALTH", message: "MESSAGE" };
  const all = [header, ...rows];
  const w = (k: keyof AppRow) => Math.max(...all.map((r) => r[k].length));
  const [wa, ws, wh] = [w("app"), w("sync"), w("health")];
  return all
    .map((r) => {
      const message = r.message.length > maxMessage ? `${r.message.slice(0, maxMessage - 1)}…` : r.message;
      return `${r.app.padEnd(wa)}  ${r.sync.padEnd(ws)}  ${r.health.padEnd(wh)}  ${message}`.trimEnd();
    })
    .join("\n");
}
