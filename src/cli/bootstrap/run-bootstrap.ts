import { createKubeObjects } from "../../adapters/kube/objects.js";
import { formatElapsed } from "../../core/clock.js";
import { parseDurationOption } from "../../core/duration-option.js";
import { ConfigError, PrerequisiteError } from "../../core/errors.js";
import { formatAppTable, type RolloutState } from "../../core/gitops/applications.js";
import { aiplatCommand, kubectlCommand } from "../carry-flags.js";
import { namesCluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { findArgoCdUrl } from "./argocd-url.js";
import { readArgoManifests } from "./manifests.js";
import { applicationsWithUnsetRepo } from "./unset-repo.js";
import { waitForApplications } from "./wait-applications.js";

export interface BootstrapOptions {
  wait?: boolean;
  timeout?: string;
}

const ARGOCD_NAMESPACE = "argocd";

/** `aiplat bootstrap`: server-side apply of argocd/, then watch every Application to Synced+Healthy. */
export async function runBootstrap(ctx: CommandContext, options: BootstrapOptions): Promise<void> {
  const timeoutMs = parseTimeout(options.timeout ?? "20m");
  // The environment always, and the user's own --kubeconfig/--context: the resume must reach the same cluster.
  const resume = aiplatCommand({ ...ctx.globals, env: ctx.env }, "bootstrap");
  const manifests = await readArgoManifests(ctx.root());
  const unset = applicationsWithUnsetRepo(manifests);
  if (unset.length > 0) {
    throw new ConfigError(
      `argocd/ still points ${unset.join(", ")} at the placeholder repository (https://example.invalid/…): ArgoCD could never sync them, so nothing was applied.`,
      {
        code: "argocd-repo-unset",
        hint: `Run \`${aiplatCommand(ctx.globals, "init")}\` (it points argocd/ at your fork), commit and push argocd/, then \`${aiplatCommand(ctx.globals, "bootstrap")}\`.`,
        details: { applications: unset },
      },
    );
  }
  const target = await ctx.adapters.kube.connect();
  if (!target) {
    throw new PrerequisiteError(`No way to reach the cluster of environment ${ctx.env} yet.`, {
      code: "no-cluster",
      hint: `Run \`aiplat up --env ${ctx.env}\` first, or pass --kubeconfig <file> [--context <name>].`,
    });
  }
  // A --kubeconfig/--context whose server does not answer is named as the problem (exit 4).
  if (namesCluster(ctx)) await tryConnect(ctx);
  const objects = createKubeObjects(target.config);
  const started = ctx.clock.now();
  const applied: { kind: string; name: string; namespace?: string | undefined }[] = [];
  await ctx.io.runTasks([
    {
      title: `Apply argocd/ to ${target.description} (server-side, field manager aiplat)`,
      run: async (task) => {
        for (const object of manifests) {
          task.output(`${object.kind} ${object.metadata.name}`);
          await objects.apply(object);
          applied.push({
            kind: object.kind,
            name: object.metadata.name ?? "",
            namespace: object.metadata.namespace,
          });
        }
        task.setTitle(`Applied ${applied.length} object(s) from argocd/ to ${target.description}`);
      },
    },
  ]);
  const argocdUrl = await findArgoCdUrl(ctx);
  const expected = applied.filter((a) => a.kind === "Application").map((a) => a.name);
  const lookHint = argocdUrl
    ? `Look at the apps in ArgoCD: ${argocdUrl}`
    : `Look at them with \`${kubectlCommand(ctx.globals, `-n ${ARGOCD_NAMESPACE} describe application <app>`)}\`.`;

  if (options.wait === false || expected.length === 0) {
    ctx.io.result(
      { environment: ctx.env, applied, argocdUrl, waited: false },
      [
        `Applied ${applied.length} object(s) from argocd/.`,
        argocdUrl ? `ArgoCD: ${argocdUrl}` : "",
        `Follow them with \`${resume}\`.`,
      ]
        .filter(Boolean)
        .join("\n"),
    );
    return;
  }

  let state: RolloutState | undefined;
  let lastTable = "";
  await ctx.io.runTasks([
    {
      title: `Waiting for ${expected.length} ArgoCD application(s) to be Synced and Healthy`,
      run: async (task) => {
        state = await waitForApplications(objects, {
          namespace: ARGOCD_NAMESPACE,
          expected,
          timeoutMs,
          signal: ctx.signal,
          lookHint,
          resume,
          onUpdate: (s) => {
            const ready = s.rows.length - s.pending.length;
            task.setTitle(
              `${ready}/${s.rows.length} application(s) Synced and Healthy (${formatElapsed(ctx.clock.now() - started)})`,
            );
            // The live table: every app with sync, health and ArgoCD's message, redrawn on change.
            const table = formatAppTable(s.rows);
            if (table !== lastTable) task.output(table);
            lastTable = table;
          },
        });
      },
    },
  ]);
  const rows = state?.rows ?? [];
  ctx.io.result(
    {
      environment: ctx.env,
      applied,
      argocdUrl,
      waited: true,
      applications: rows,
      elapsedMs: ctx.clock.now() - started,
    },
    [
      `All ${rows.length} ArgoCD applications are Synced and Healthy (${formatElapsed(ctx.clock.now() - started)}):`,
      formatAppTable(rows),
      argocdUrl ? `\nArgoCD: ${argocdUrl}` : "",
      `\nNext: \`aiplat deploy-model <name>\` (e.g. gemma-4b).`,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

function parseTimeout(value: string): number {
  return parseDurationOption("--timeout", value);
}
