/**
 * The status screen as text: one titled block per section in SECTION_ORDER; a section that could
 * not be read shows why. Pure, so --watch can redraw it and tests can read it.
 */
import {
  type PlatformStatus,
  SECTION_ORDER,
  SECTION_TITLES,
  type Section,
  type SectionName,
} from "./types.js";

/** How the screen marks words (the terminal's colours, or none). Nothing on it is marked "ok". */
export interface FormatStyle {
  warn(text: string): string;
  fail(text: string): string;
  bold(text: string): string;
}

const plain: FormatStyle = { warn: (t) => t, fail: (t) => t, bold: (t) => t };

export function formatAge(since: string | undefined, now: number): string {
  if (!since) return "-";
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const usd = (v: number | undefined) => (v === undefined ? "?" : `$${v.toFixed(2)}/h`);
const yesNo = (v: boolean | undefined) => (v === undefined ? "?" : v ? "yes" : "no");
const short = (rev: string | undefined) => (rev ? (/^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : rev) : "-");

function body(name: SectionName, status: PlatformStatus, now: number, style: FormatStyle): string[] {
  switch (name) {
    case "infrastructure": {
      const s = status.infrastructure as Extract<PlatformStatus["infrastructure"], { ok: true }>;
      const rows = s.stages.map((r) => [
        r.stage,
        r.enabled ? "on" : "off",
        r.status === "done" ? "applied" : r.status,
        r.at ? `${formatAge(r.at, now)} ago` : "-",
      ]);
      const out = table(["STAGE", "SWITCH", "STATE", "WHEN"], rows);
      for (const r of s.stages.filter((x) => x.holdsResources))
        out.push(style.warn(`! ${r.stage} is switched off but was applied: it still holds resources.`));
      return out;
    }
    case "cluster": {
      const s = status.cluster as Extract<PlatformStatus["cluster"], { ok: true }>;
      const out = [`${s.name} (${s.region}): EKS ${s.version ?? "?"}, ${s.status ?? "?"}`];
      for (const c of s.capabilities) out.push(`  capability ${c.type} ${c.name}: ${c.status}`);
      if (s.capabilities.length === 0) out.push("  no capabilities");
      if (s.argocdUrl) out.push(`  ArgoCD: ${s.argocdUrl}`);
      return out;
    }
    case "gitops": {
      const s = status.gitops as Extract<PlatformStatus["gitops"], { ok: true }>;
      if (s.applications.length === 0)
        return [`No Applications. Install them: ${s.next ?? "aiplat bootstrap"}`];
      const rows = s.applications.map((a) => [
        a.app,
        a.sync,
        a.health,
        short(a.revision),
        a.behind === undefined ? "-" : a.behind ? `behind ${a.branch} (${short(a.head)})` : "at head",
        a.message ?? "",
      ]);
      return table(["APP", "SYNC", "HEALTH", "REVISION", "BRANCH", "MESSAGE"], rows);
    }
    case "endpoints": {
      const s = status.endpoints as Extract<PlatformStatus["endpoints"], { ok: true }>;
      if (s.endpoints.length === 0)
        return [`No endpoints. Deploy one: ${s.next ?? "aiplat deploy-model gemma-4b"}`];
      const rows = s.endpoints.map((e) => [
        e.name,
        e.model ?? "-",
        e.state,
        e.ready ? "yes" : "no",
        `${e.replicas.current}/${e.replicas.min}-${e.replicas.max}`,
        String(e.gpus),
        yesNo(e.registered),
        e.requests === undefined ? "-" : String(e.requests),
        formatAge(e.createdAt, now),
      ]);
      const out = table(
        ["NAME", "MODEL", "STATE", "READY", "REPLICAS", "GPUS", "LITELLM", "REQUESTS", "AGE"],
        rows,
      );
      for (const e of s.endpoints.filter((x) => x.message)) out.push(`  ${e.name}: ${e.message}`);
      return out;
    }
    case "gpuNodes": {
      const s = status.gpuNodes as Extract<PlatformStatus["gpuNodes"], { ok: true }>;
      const out =
        s.nodes.length === 0
          ? ["No GPU nodes."]
          : table(
              ["NODE", "TYPE", "CAPACITY", "AGE", "SERVES", "PRICE"],
              s.nodes.map((n) => [
                n.name,
                n.instanceType,
                n.capacityType,
                formatAge(n.createdAt, now),
                n.idle ? "idle" : n.serves.join(","),
                usd(n.hourlyUsd),
              ]),
            );
      out.push(`GPU ${usd(s.gpuHourlyUsd)} · cluster ${usd(s.clusterHourlyUsd)} (${s.priceNote})`);
      if (s.idleGpuHourlyUsd > 0) out.push(style.warn(`! ${usd(s.idleGpuHourlyUsd)} of GPU is idle.`));
      if (s.unpriced.length > 0) out.push(`  not priced: ${s.unpriced.join(", ")}`);
      return out;
    }
    case "litellm": {
      const s = status.litellm as Extract<PlatformStatus["litellm"], { ok: true }>;
      const out = [
        `${s.healthy ? "healthy" : style.fail("unhealthy")}, database ${s.database ?? "unknown"}; ${s.models.length} model(s): ${s.models.map((m) => m.name).join(", ") || "none"}`,
      ];
      for (const o of s.orphans)
        out.push(style.warn(`! ${o.name} is registered but no endpoint backs it. Remove it: ${o.fix}`));
      return out;
    }
  }
}

export function formatStatus(status: PlatformStatus, now: number, style: FormatStyle = plain): string {
  const out: string[] = [];
  for (const name of SECTION_ORDER) {
    const section: Section<object> = status[name];
    out.push(style.bold(SECTION_TITLES[name]));
    if (!section.ok) out.push(`  ${style.fail("unavailable")}: ${section.reason}`);
    else out.push(...body(name, status, now, style).map((l) => `  ${l}`));
    out.push("");
  }
  return out.join("\n").trimEnd();
}
