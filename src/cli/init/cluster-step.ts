/**
 * The cluster questions with more than free text: the Kubernetes version (offered from EKS's
 * DescribeClusterVersions when reachable, else a built-in list) and the capabilities (checked
 * against the cross-field rules of the cluster_config variable before anything is written).
 */
import type { Capabilities, TfvarsAnswers } from "../../core/init/answers.js";
import {
  allCapabilities,
  BUILT_IN_KUBERNETES_VERSIONS,
  CAPABILITY_NAMES,
  DEFAULTS,
  parseCapabilityList,
} from "../../core/init/answers.js";
import type { RawInit } from "../../core/init/raw-input.js";
import { checkCapabilities, checkKubernetesVersion } from "../../core/init/validate.js";
import type { CommandContext } from "../context.js";
import { describeEksVersions } from "./eks-versions.js";
import type { FieldResolver } from "./resolver.js";

export async function resolveKubernetesVersion(
  ctx: CommandContext,
  r: FieldResolver,
  raw: RawInit,
  pre: Partial<TfvarsAnswers>,
  region: string | undefined,
): Promise<string | undefined> {
  if (raw.kubernetesVersion !== undefined) {
    const verdict = await checkGivenVersion(ctx, raw.kubernetesVersion, region);
    if (verdict !== true) {
      r.reject("--kubernetes-version", raw.kubernetesVersion, verdict);
      return undefined;
    }
    return raw.kubernetesVersion;
  }
  if (!r.interactive) {
    return r.text({
      flag: "--kubernetes-version",
      message: "Kubernetes version",
      given: raw.kubernetesVersion,
      prefill: pre.kubernetesVersion,
      fallback: DEFAULTS.kubernetesVersion,
      validate: (v) => checkKubernetesVersion(v),
    });
  }
  const fromApi = region ? await describeEksVersions(ctx.adapters.aws, region, ctx.signal) : undefined;
  const versions = fromApi?.versions ?? [...BUILT_IN_KUBERNETES_VERSIONS];
  if (!fromApi) ctx.io.info("EKS API not reachable: offering aiplat's built-in list of Kubernetes versions.");
  const fallback = versions.includes(DEFAULTS.kubernetesVersion) ? DEFAULTS.kubernetesVersion : versions[0];
  return r.text({
    flag: "--kubernetes-version",
    message: "Kubernetes version",
    prefill: pre.kubernetesVersion,
    fallback,
    validate: (v) => checkKubernetesVersion(v),
    choices: versions.map((v) => ({
      name: v === fromApi?.defaultVersion ? `${v} (EKS default)` : v,
      value: v,
    })),
  });
}

/**
 * A given version must be one EKS creates clusters with: the EKS API's list when it answers
 * (DescribeClusterVersions, a few seconds at most), aiplat's built-in list otherwise, saying which.
 */
async function checkGivenVersion(
  ctx: CommandContext,
  version: string,
  region: string | undefined,
): Promise<true | string> {
  const format = checkKubernetesVersion(version);
  if (format !== true) return format;
  const fromApi = region ? await describeEksVersions(ctx.adapters.aws, region, ctx.signal) : undefined;
  if (fromApi) {
    return fromApi.versions.includes(version)
      ? true
      : `EKS in ${region} creates clusters with ${fromApi.versions.join(", ")} only (DescribeClusterVersions)`;
  }
  const builtIn: readonly string[] = BUILT_IN_KUBERNETES_VERSIONS;
  return builtIn.includes(version)
    ? true
    : `EKS creates clusters with ${builtIn.join(", ")} (aiplat's built-in list; the EKS API could not be asked)`;
}

export async function resolveCapabilities(
  ctx: CommandContext,
  r: FieldResolver,
  raw: RawInit,
  pre: Partial<TfvarsAnswers>,
): Promise<Capabilities | undefined> {
  const autoMode = pre.eksAutoMode ?? false;
  const check = (caps: Capabilities) =>
    autoMode ? true : checkCapabilities(caps, pre.createMngSystem ?? true);
  if (raw.capabilities !== undefined) {
    const parsed = parseCapabilityList(raw.capabilities);
    const verdict = typeof parsed === "string" ? parsed : check(parsed);
    if (verdict !== true) {
      r.reject("--capabilities", raw.capabilities, verdict);
      return undefined;
    }
    return parsed as Capabilities;
  }
  const current = pre.capabilities ?? allCapabilities(true);
  if (!r.interactive) {
    if (pre.capabilities || ctx.globals.yes) {
      const verdict = check(current);
      if (verdict !== true)
        r.problems.push(`capabilities (from the existing tfvars or the defaults): ${verdict}`);
      return current;
    }
    r.markMissing("--capabilities", { yesFills: true });
    return undefined;
  }
  let selected = current;
  for (;;) {
    const chosen = await ctx.io.prompt.checkbox({
      flag: "--capabilities",
      message: "Capabilities (EKS add-ons and managed capabilities) to turn on",
      choices: CAPABILITY_NAMES.map((name) => ({ name, value: name, checked: selected[name] })),
    });
    selected = Object.fromEntries(CAPABILITY_NAMES.map((n) => [n, chosen.includes(n)])) as Capabilities;
    const verdict = check(selected);
    if (verdict === true) return selected;
    ctx.io.warn(`${verdict}.`);
  }
}
