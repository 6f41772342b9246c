/**
 * The questions of `aiplat init`, in order, each answered by a flag / answers-file value, a prompt
 * (pre-filled from the existing tfvars), the default with --yes, or recorded as missing. Nothing is
 * written here: the result is a complete, validated plan for write-step.ts.
 */
import { relative } from "node:path";
import {
  createIdentityCenter,
  type DirectoryEntry,
  type IdentityCenter,
} from "../../adapters/aws/identity-center.js";
import type { InitAnswers, TfvarsAnswers } from "../../core/init/answers.js";
import { allCapabilities, DEFAULTS, defaultTfvarsAnswers } from "../../core/init/answers.js";
import { parseIdentityRef, type RawInit } from "../../core/init/raw-input.js";
import {
  checkEnvName,
  checkPrefix,
  checkRegion,
  checkSafeText,
  checkVpcCidr,
} from "../../core/init/validate.js";
import type { CommandContext } from "../context.js";
import { resolveApiCidrs } from "./api-access-step.js";
import { resolveCapabilities, resolveKubernetesVersion } from "./cluster-step.js";
import { type Discovery, discoverInstances, resolveInstanceArn } from "./identity-step.js";
import type { ExistingState } from "./load.js";
import { resolveRbac } from "./rbac-step.js";
import { resolveRepoTarget } from "./repo-step.js";
import type { FieldResolver } from "./resolver.js";
import { type DockerHubPlan, type HfTokenPlan, resolveDockerHub, resolveHfToken } from "./secrets-step.js";

export interface InitPlan {
  answers: InitAnswers;
  /** Directory entries of the chosen people, for the summary (display names, e-mails). */
  people: DirectoryEntry[];
  dockerHub: DockerHubPlan;
  hfToken: HfTokenPlan;
  repoNote?: string | undefined;
}

export interface EnvChoice {
  given?: string | undefined;
  prefill?: string | undefined;
}

/** Asks for the environment first: it decides which existing tfvars pre-fills the rest. */
export async function resolveEnvName(r: FieldResolver, choice: EnvChoice): Promise<string | undefined> {
  return r.text({
    flag: "--env",
    message: "Environment name (becomes part of the cluster name)",
    given: choice.given,
    prefill: choice.prefill,
    fallback: "dev",
    validate: checkEnvName,
  });
}

export async function collectAnswers(
  ctx: CommandContext,
  r: FieldResolver,
  raw: RawInit,
  env: string,
  existing: ExistingState,
): Promise<InitPlan> {
  const { io } = ctx;
  const pre = existing.answers;
  // The repository first: a clone ArgoCD cannot sync from must not cost the user every answer.
  const repo = await resolveRepoTarget(ctx, r, raw, existing.root);
  if ("error" in repo && r.interactive) throw repo.error;
  const region = await r.text({
    flag: "--region",
    message: "AWS region of the cluster",
    given: raw.region,
    prefill: pre.region,
    fallback: ctx.processEnv.AWS_REGION ?? ctx.processEnv.AWS_DEFAULT_REGION ?? DEFAULTS.region,
    validate: checkRegion,
  });
  const prefix = await r.text({
    flag: "--prefix",
    message: "Resource name prefix (the cluster is <prefix>-<env>)",
    given: raw.prefix,
    prefill: pre.prefix,
    fallback: DEFAULTS.prefix,
    validate: checkPrefix,
  });
  const vpcCidr = await r.text({
    flag: "--vpc-cidr",
    message: "VPC CIDR (private range, /16 to /18)",
    given: raw.vpcCidr,
    prefill: pre.vpcCidr,
    fallback: DEFAULTS.vpcCidr,
    validate: checkVpcCidr,
  });
  const kubernetesVersion = await resolveKubernetesVersion(ctx, r, raw, pre, region);
  const capabilities = await resolveCapabilities(ctx, r, raw, pre);

  let idcRegion = pre.idcRegion ?? "";
  let idcInstanceArn = pre.idcInstanceArn ?? "";
  let rbac = pre.rbac ?? defaultTfvarsAnswers().rbac;
  let people: DirectoryEntry[] = [];
  if (capabilities?.gitops !== false) {
    const resolvedIdcRegion = await r.text({
      flag: "--idc-region",
      message: "Region of your IAM Identity Center instance",
      given: raw.idcRegion,
      prefill: pre.idcRegion || undefined,
      fallback: region,
      validate: checkRegion,
    });
    idcRegion = resolvedIdcRegion ?? "";
    let center: IdentityCenter | undefined;
    let discovery: Discovery | undefined;
    const discover = async (): Promise<Discovery> => {
      if (!resolvedIdcRegion) return { unavailable: "no valid Identity Center region" };
      center ??= createIdentityCenter(ctx.adapters.aws, resolvedIdcRegion, { signal: ctx.signal });
      discovery ??= await discoverInstances(center);
      return discovery;
    };
    const arn = await resolveInstanceArn(r, io, {
      given: raw.idcInstanceArn,
      prefill: pre.idcInstanceArn || undefined,
      yes: ctx.globals.yes,
      idcRegion: resolvedIdcRegion ?? "",
      discover,
    });
    idcInstanceArn = arn ?? "";
    // Names need the identity store; so does showing who an id is at a prompt.
    const needsLookup =
      r.interactive ||
      [raw.argocdAdmin, raw.argocdEditor, raw.argocdViewer].some((list) =>
        (list ?? []).some((text) => {
          const ref = parseIdentityRef(text);
          return typeof ref !== "string" && !ref.isId;
        }),
      );
    let lookup: { center: IdentityCenter; identityStoreId: string } | undefined;
    let unavailable: string | undefined;
    if (needsLookup && arn) {
      const found = await discover();
      const instance = found.instances?.find((i) => i.arn === arn);
      if (instance && center) lookup = { center, identityStoreId: instance.identityStoreId };
      else unavailable = found.unavailable ?? `instance ${arn} is not in ${resolvedIdcRegion}`;
    }
    const rbacGiven = [raw.argocdAdmin, raw.argocdEditor, raw.argocdViewer].some((l) => (l ?? []).length > 0);
    if (!r.interactive && !rbacGiven) {
      const where = relative(existing.root, existing.tfvarsPath);
      for (const problem of existing.rbacProblems) r.problems.push(`${where}: ${problem}`);
    }
    const resolved = await resolveRbac(r, io, {
      given: { ADMIN: raw.argocdAdmin, EDITOR: raw.argocdEditor, VIEWER: raw.argocdViewer },
      prefill: pre.rbac,
      lookup,
      unavailable,
    });
    rbac = resolved.rbac;
    people = resolved.people;
  } else {
    const ignored = (
      [
        ["--idc-instance-arn", raw.idcInstanceArn],
        ["--idc-region", raw.idcRegion],
        ["--argocd-admin", raw.argocdAdmin?.[0]],
        ["--argocd-editor", raw.argocdEditor?.[0]],
        ["--argocd-viewer", raw.argocdViewer?.[0]],
      ] as const
    ).filter(([, value]) => value !== undefined);
    if (ignored.length > 0)
      io.warn(`gitops is off, so ArgoCD needs no sign-in: ignoring ${ignored.map(([f]) => f).join(", ")}.`);
  }

  const dockerHub = await resolveDockerHub(r, io, {
    givenUsername: raw.dockerHubUsername,
    env: ctx.processEnv,
    secretFileExists: existing.secretTfvarsExists,
    secretFileName: `${env}.secret.tfvars`,
    kept: existing.dockerHub,
    redactor: ctx.redactor,
  });
  const hfToken = await resolveHfToken(r, io, { exists: existing.hfTokenExists, redactor: ctx.redactor });
  const apiCidrs = await resolveApiCidrs(ctx, r, raw, pre);

  const defaults = defaultTfvarsAnswers();
  const tfvars: TfvarsAnswers = {
    ...defaults,
    ...pre,
    region: region ?? "",
    vpcCidr: vpcCidr ?? "",
    prefix: prefix ?? "",
    kubernetesVersion: kubernetesVersion ?? "",
    capabilities: capabilities ?? allCapabilities(true),
    idcInstanceArn,
    idcRegion,
    rbac,
    ...(apiCidrs !== undefined ? { publicAccessCidrs: apiCidrs } : {}),
    // The example's tag: name the project after the prefix unless the user set tags by hand.
    tags: pre.tags && Object.keys(pre.tags).length > 0 ? pre.tags : { project: prefix ?? DEFAULTS.prefix },
  };
  checkCarriedValues(r, tfvars);
  r.finish();
  // Bad or missing answers are reported first (exit 2); a clone without a usable remote is exit 3.
  if ("error" in repo) throw repo.error;
  return {
    answers: { ...tfvars, env, repoUrl: repo.repoUrl, revision: repo.revision },
    people,
    dockerHub,
    hfToken,
    repoNote: repo.note,
  };
}

/** Hand-edited values init carries over (tags, policy ARNs) are checked like typed ones. */
function checkCarriedValues(r: FieldResolver, tfvars: TfvarsAnswers): void {
  for (const [key, value] of Object.entries(tfvars.tags)) {
    for (const [what, text] of [
      ["key", key],
      ["value", value],
    ] as const) {
      const verdict = checkSafeText(text);
      if (verdict !== true)
        r.problems.push(`tags ${what} ${JSON.stringify(text)} in the existing tfvars: ${verdict}`);
    }
  }
  for (const arn of tfvars.ackIamPolicyArns) {
    const verdict = checkSafeText(arn);
    if (verdict !== true)
      r.problems.push(`ack_iam_policy_arns ${JSON.stringify(arn)} in the existing tfvars: ${verdict}`);
  }
}
