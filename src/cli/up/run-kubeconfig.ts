import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ClusterAccess,
  completeAccess,
  createEksToken,
  REFRESH_MARGIN_MS,
} from "../../adapters/kube/eks-connector.js";
import { writeKubeconfigEntry } from "../../adapters/kube/kubeconfig-writer.js";
import { PrerequisiteError, UsageError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import { clusterCachePath, readCachedClusterAccess } from "./cluster-cache.js";

export interface KubeconfigOptions {
  file?: string;
  execCredential?: boolean;
  setCurrent?: boolean;
  /** With --exec-credential: sign for this cluster directly (Terraform's providers, before cluster.json exists). */
  cluster?: string;
  region?: string;
}

export async function runKubeconfig(ctx: CommandContext, options: KubeconfigOptions): Promise<void> {
  if (options.cluster !== undefined || options.region !== undefined) {
    return printExecCredential(ctx, namedCluster(options));
  }
  const access = await readAccess(ctx);
  if (options.execCredential) return printExecCredential(ctx, access);
  const completed = await completeAccess(ctx.adapters.aws, access);
  const file = resolve(
    ctx.cwd,
    options.file ??
      ctx.processEnv.KUBECONFIG?.split(":")[0] ??
      join(ctx.processEnv.HOME || homedir(), ".kube", "config"),
  );
  const name = `aiplat-${ctx.env}`;
  const bin = fileURLToPath(new URL("../../../bin/aiplat.js", import.meta.url));
  // kubectl runs bin/aiplat.js, which loads the compiled CLI: without dist/ every kubectl call
  // would fail with a module-not-found trace instead of a token.
  if (!existsSync(join(dirname(bin), "..", "dist", "cli", "main.js"))) {
    throw new PrerequisiteError(
      `The kubeconfig entry would run ${bin}, but the compiled CLI (dist/) is missing, so kubectl could not get a token.`,
      {
        code: "cli-not-built",
        hint: "Run `npm run build` (npm ci does it too), then `aiplat kubeconfig` again.",
      },
    );
  }
  const env = ctx.processEnv.AWS_PROFILE ? [{ name: "AWS_PROFILE", value: ctx.processEnv.AWS_PROFILE }] : [];
  const { updated } = await writeKubeconfigEntry(file, {
    name,
    server: completed.endpoint,
    certificateAuthorityData: completed.certificateAuthorityData,
    exec: {
      command: process.execPath,
      args: [bin, "kubeconfig", "--exec-credential", "--env", ctx.env, "--root", ctx.root()],
      env,
    },
    setCurrent: options.setCurrent !== false,
  });
  ctx.io.result(
    { file, context: name, cluster: completed.name, server: completed.endpoint, updated },
    `${updated ? "Updated" : "Added"} context ${name} (EKS cluster ${completed.name}) in ${file}.\nkubectl gets its token from aiplat (no AWS CLI needed): try \`kubectl --context ${name} get nodes\`.`,
  );
}

/**
 * The cluster stage's kubernetes/helm/kubectl providers run this as their exec credential: the
 * cluster is created in that same apply, before `.aiplat/<env>/cluster.json` exists, so Terraform
 * names it. A token per call means no provider holds one past its 15 minutes.
 */
function namedCluster(options: KubeconfigOptions): Pick<ClusterAccess, "name" | "region"> {
  if (!options.execCredential || !options.cluster || !options.region) {
    throw new UsageError("--cluster and --region go together, and only with --exec-credential.", {
      code: "bad-option",
      hint: "aiplat kubeconfig --exec-credential --cluster <name> --region <region>",
    });
  }
  return { name: options.cluster, region: options.region };
}

async function readAccess(ctx: CommandContext): Promise<ClusterAccess> {
  const access = await readCachedClusterAccess(clusterCachePath(ctx.state().path, ctx.env));
  if (!access) {
    throw new PrerequisiteError(`No cluster outputs for environment ${ctx.env} yet.`, {
      code: "no-cluster",
      hint: `Run \`aiplat up --env ${ctx.env}\` first (it records the cluster in .aiplat/${ctx.env}/cluster.json).`,
    });
  }
  return access;
}

/** The client.authentication.k8s.io ExecCredential kubectl reads from the exec plugin's stdout. */
async function printExecCredential(
  ctx: CommandContext,
  access: Pick<ClusterAccess, "name" | "region">,
): Promise<void> {
  const { token, expiresAt } = await createEksToken({
    credentials: ctx.adapters.aws.credentials,
    region: access.region,
    clusterName: access.name,
    now: new Date(ctx.clock.now()),
  });
  const credential = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    kind: "ExecCredential",
    spec: {},
    // kubectl uses the token until this time: stop a minute early, as the in-process source does.
    status: { expirationTimestamp: new Date(expiresAt.getTime() - REFRESH_MARGIN_MS).toISOString(), token },
  };
  // The token goes to kubectl on stdout, exactly once; it must not reach logs or stderr.
  ctx.io.result(credential, JSON.stringify(credential));
}
