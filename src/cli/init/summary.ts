/** The closing report of init: the answers (never secrets), the files, and the next command. */
import type { DirectoryEntry } from "../../adapters/aws/identity-center.js";
import { ARGOCD_ROLES, formatCapabilityList } from "../../core/init/answers.js";
import type { Style } from "../../ui/io-host.js";
import { describeEntry } from "./rbac-step.js";
import type { InitPlan } from "./wizard.js";
import type { WriteReport } from "./write-step.js";

export function toResultData(plan: InitPlan, report: WriteReport): Record<string, unknown> {
  const a = plan.answers;
  const who = (id: string) => plan.people.find((p) => p.id === id);
  return {
    environment: a.env,
    answers: {
      env: a.env,
      region: a.region,
      prefix: a.prefix,
      vpcCidr: a.vpcCidr,
      kubernetesVersion: a.kubernetesVersion,
      capabilities: a.capabilities,
      idcInstanceArn: a.idcInstanceArn,
      idcRegion: a.idcRegion,
      argocdRbac: Object.fromEntries(
        ARGOCD_ROLES.map((role) => [
          role,
          a.rbac[role].map((i) => {
            const entry = who(i.id);
            return {
              id: i.id,
              type: i.type,
              ...(entry ? { name: entry.name, displayName: entry.displayName, email: entry.email } : {}),
            };
          }),
        ]),
      ),
      repoUrl: a.repoUrl,
      revision: a.revision,
      dockerHubCredentials:
        plan.dockerHub.kind === "write" ? "written" : plan.dockerHub.kind === "keep" ? "kept" : "none",
      hfToken: plan.hfToken.kind === "write" ? "stored" : plan.hfToken.kind === "keep" ? "kept" : "none",
    },
    files: report.files,
    changed: report.changed,
    activeEnvironment: {
      previous: report.active.previous ?? null,
      current: report.active.current ?? null,
      switched: report.active.previous !== report.active.current,
    },
    next: nextCommand(plan, report),
  };
}

/** `aiplat up`, with --env when the environment just written is not the active one. */
function nextCommand(plan: InitPlan, report: WriteReport): string {
  return report.active.current === plan.answers.env ? "aiplat up" : `aiplat up --env ${plan.answers.env}`;
}

/** Says when init changed which environment commands without --env act on, or left it alone. */
function activeLine(plan: InitPlan, report: WriteReport): string | undefined {
  const { previous, current } = report.active;
  const env = plan.answers.env;
  if (current !== env) {
    return `Active environment: still ${current ?? "none (dev by default)"} (--no-activate); pass --env ${env} to act on ${env}.`;
  }
  if (previous !== undefined && previous !== env) {
    return `Active environment: switched from ${previous} to ${env}: commands without --env now act on ${env} (--env ${previous} for the other; init --no-activate leaves it alone).`;
  }
  return undefined;
}

export function renderSummary(plan: InitPlan, report: WriteReport, style: Style): string {
  const a = plan.answers;
  const rows: Array<[string, string]> = [
    ["region", a.region],
    ["resources_prefix", `${a.prefix} (cluster ${a.prefix}-${a.env})`],
    ["vpc_cidr", a.vpcCidr],
    ["kubernetes_version", a.kubernetesVersion],
    ["capabilities", formatCapabilityList(a.capabilities)],
  ];
  if (a.capabilities.gitops) {
    rows.push(["Identity Center", `${a.idcInstanceArn} (${a.idcRegion})`]);
    for (const role of ARGOCD_ROLES) {
      for (const identity of a.rbac[role]) {
        const entry: DirectoryEntry | undefined = plan.people.find((p) => p.id === identity.id);
        rows.push([
          `ArgoCD ${role}`,
          entry ? describeEntry(entry) : `${identity.type === "SSO_GROUP" ? "group" : "user"} ${identity.id}`,
        ]);
      }
    }
  }
  rows.push(["ArgoCD source", `${a.repoUrl} @ ${a.revision}`]);
  rows.push([
    "Docker Hub",
    plan.dockerHub.kind === "write"
      ? `${plan.dockerHub.username} (token in ${report.files.secretTfvars})`
      : plan.dockerHub.kind === "keep"
        ? `kept: ${plan.dockerHub.reason}`
        : "not used",
  ]);
  rows.push([
    "HuggingFace token",
    plan.hfToken.kind === "none"
      ? "not set (later: aiplat secret hf-token)"
      : `in ${report.files.hfToken} (gitignored)`,
  ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `${style.bold(`aiplat init — environment ${a.env}`)}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
  if (plan.repoNote) lines.push(style.dim(`  note: ${plan.repoNote}`));
  const all = [
    report.files.tfvars,
    ...(report.files.secretTfvars ? [report.files.secretTfvars] : []),
    ...(report.files.hfToken ? [report.files.hfToken] : []),
    ...report.files.argocd,
  ];
  lines.push(
    "",
    report.changed.length === 0 ? "Nothing changed: every file already held these answers." : "Files:",
  );
  if (report.changed.length > 0) {
    for (const file of all)
      lines.push(
        `  ${report.changed.includes(file) ? style.ok("written  ") : style.dim("unchanged")}  ${file}`,
      );
  }
  const toCommit = report.changed.filter((f) => f.startsWith("argocd/") || f === report.files.tfvars);
  if (toCommit.length > 0) {
    lines.push(
      "",
      `Commit and push them so ArgoCD syncs your fork: git add ${toCommit.join(" ")} && git commit -m "aiplat init ${a.env}" && git push`,
    );
  }
  const active = activeLine(plan, report);
  if (active !== undefined) lines.push("", active);
  lines.push("", `Next: ${style.bold(nextCommand(plan, report))}`);
  return lines.join("\n");
}
