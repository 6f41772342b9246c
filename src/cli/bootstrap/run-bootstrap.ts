import { createKubeObjects } from "../../adapters/kube/objects.js";
import { formatElapsed } from "../../core/clock.js";
import { parseDurationOption } from "../../core/duration-option.js";
import { PrerequisiteError } from "../../core/errors.js";
import { formatAppTable, type RolloutState } from "../../core/gitops/applications.js";
import { namesCluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { findArgoCdUrl } from "./argocd-url.js";
import { readArgoManifests } from "./manifests.js";
import { waitForApplications } from "./wait-applications.js";

export interface BootstrapOptions {
  wait?: boolean;
  timeout?: string;
}

const ARGOCD_NAMESPACE = "argocd";

/** `aiplat bootstrap`: server-side apply of argocd/, then watch every Application to Synced+Healthy. */
export async function runBootstrap(ctx: CommandContext, options: BootstrapOptions): Promise<void> {
  const timeoutMs = parseTimeout(options.timeout ?? "20m");
  const resume = `aiplat bootstrap --env ${ctx.env}`;
  const manifests = await readArgoManifests(ctx.root());
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
    : `Look at them with \`kubectl -n ${ARGOCD_NAMESPACE} describe application <app>\`.`;

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
