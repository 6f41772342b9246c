/**
 * Who may reach the public Kubernetes API (cluster_config.public_access_cidrs; issue 17 point 9).
 * On a terminal the default is the caller's own public address as /32 when it can be found, so
 * pressing Enter no longer leaves the API open to the internet. Without a terminal nothing is
 * looked up: --api-cidrs, the existing tfvars, or else variables.tf's default (EKS's 0.0.0.0/0,
 * with a warning).
 */
import { findPublicAddress } from "../../adapters/public-address.js";
import type { TfvarsAnswers } from "../../core/init/answers.js";
import type { RawInit } from "../../core/init/raw-input.js";
import { checkCidrList, parseCidrList } from "../../core/init/validate.js";
import type { CommandContext } from "../context.js";
import type { FieldResolver } from "./resolver.js";

const OPEN = "0.0.0.0/0";

export async function resolveApiCidrs(
  ctx: CommandContext,
  r: FieldResolver,
  raw: RawInit,
  pre: Partial<TfvarsAnswers>,
): Promise<string[] | undefined> {
  if (pre.privateEksCluster) {
    if (raw.apiCidrs !== undefined)
      ctx.io.warn("private_eks_cluster is on, so the API has no public endpoint: ignoring --api-cidrs.");
    return pre.publicAccessCidrs;
  }
  const prefill = pre.publicAccessCidrs?.join(", ");
  let fallback: string | undefined;
  if (raw.apiCidrs === undefined && prefill === undefined) {
    if (!r.interactive) {
      warnIfOpen(ctx, undefined);
      return undefined;
    }
    const address = await findPublicAddress(ctx.processEnv, ctx.signal);
    if (address) ctx.io.info(`Your public address is ${address}.`);
    else
      ctx.io.info("Could not find your public address: type your office/VPN ranges, or your address as /32.");
    fallback = address ? `${address}/32` : OPEN;
  }
  const text = await r.text({
    flag: "--api-cidrs",
    message: "Who may reach the public Kubernetes API (comma list of IPv4 CIDRs)",
    given: raw.apiCidrs,
    prefill,
    fallback,
    validate: checkCidrList,
  });
  if (text === undefined) return undefined;
  const cidrs = parseCidrList(text);
  warnIfOpen(ctx, cidrs);
  return cidrs;
}

function warnIfOpen(ctx: CommandContext, cidrs: string[] | undefined): void {
  if (cidrs === undefined || cidrs.includes(OPEN))
    ctx.io.warn(
      "The public Kubernetes API endpoint accepts connections from anywhere (0.0.0.0/0): set cluster_config.public_access_cidrs, or answer init's API access question, to narrow it.",
    );
}
