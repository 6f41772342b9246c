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
import { checkExistingKubeconfig, writeKubeconfigEntry } from "../../adapters/kube/kubeconfig-writer.js";
import { findUnsafeText } from "../../core/endpoint/validate-inputs.js";
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
  // An existing --file that is not a kubeconfig: exit 3 before the cluster outputs are needed.
  if (options.file !== undefined)
    await checkExistingKubeconfig(resolve(ctx.cwd, checkPathText(options.file)));
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

/** Longer than any path a filesystem accepts (PATH_MAX is 4096 on Linux). */
const MAX_PATH_LENGTH = 4096;

/** --file as text: bad input (exit 2) before any file or cluster is looked at. */
function checkPathText(file: string): string {
  const problem =
    file === ""
      ? "is empty"
      : file.length > MAX_PATH_LENGTH
        ? `is ${file.length} characters, longer than any path`
        : findUnsafeText(file);
  if (problem) throw new UsageError(`--file ${problem}.`, { code: "invalid-input" });
  return file;
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
  // Both go into a signed STS request: only what EKS and AWS accept as names.
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(options.cluster))
    throw new UsageError("--cluster must be an EKS cluster name (letters, digits, - and _, at most 100).", {
      code: "invalid-input",
    });
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(options.region))
    throw new UsageError("--region must be an AWS region name such as eu-central-1.", {
      code: "invalid-input",
    });
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
