/**
 * The format checks of every value given as a flag or in the answers file, before any question.
 * On a terminal a bad flag must stop init at once, not after the user has answered every prompt.
 * (Without a terminal the wizard collects these together with the missing values instead.)
 */
import { parseCapabilityList } from "./answers.js";
import { parseIdentityRef, type RawInit, ROLE_FIELDS, ROLE_FLAGS } from "./raw-input.js";
import {
  checkCidrList,
  checkDockerHubUsername,
  checkEnvName,
  checkIdcInstanceArn,
  checkKubernetesVersion,
  checkPrefix,
  checkRegion,
  checkRepoUrl,
  checkRevision,
  checkVpcCidr,
  type Verdict,
} from "./validate.js";

const TEXT_CHECKS: ReadonlyArray<[keyof RawInit, string, (value: string) => Verdict]> = [
  ["env", "--env", checkEnvName],
  ["region", "--region", checkRegion],
  ["prefix", "--prefix", checkPrefix],
  ["vpcCidr", "--vpc-cidr", checkVpcCidr],
  ["kubernetesVersion", "--kubernetes-version", (v) => checkKubernetesVersion(v)],
  ["idcInstanceArn", "--idc-instance-arn", checkIdcInstanceArn],
  ["idcRegion", "--idc-region", checkRegion],
  ["repoUrl", "--repo-url", checkRepoUrl],
  ["revision", "--revision", checkRevision],
  ["dockerHubUsername", "--docker-hub-username", checkDockerHubUsername],
  ["apiCidrs", "--api-cidrs", checkCidrList],
];

/** `--flag "value": reason` for every given value that is malformed; empty when all are fine. */
export function checkGivenValues(raw: RawInit): string[] {
  const problems: string[] = [];
  const bad = (flag: string, value: string, reason: string) =>
    problems.push(`${flag} ${JSON.stringify(value)}: ${reason}`);
  for (const [field, flag, check] of TEXT_CHECKS) {
    const value = raw[field];
    if (typeof value !== "string") continue;
    const verdict = check(value);
    if (verdict !== true) bad(flag, value, verdict);
  }
  if (raw.capabilities !== undefined) {
    const parsed = parseCapabilityList(raw.capabilities);
    if (typeof parsed === "string") bad("--capabilities", raw.capabilities, parsed);
  }
  for (const [role, field] of Object.entries(ROLE_FIELDS) as Array<
    [keyof typeof ROLE_FLAGS, keyof RawInit]
  >) {
    // Stryker disable next-line ArrayDeclaration: the made-up element "Stryker was here" is a valid user name, so no problem is added
    for (const text of (raw[field] as string[] | undefined) ?? []) {
      const ref = parseIdentityRef(text);
      if (typeof ref === "string") bad(ROLE_FLAGS[role], text, ref);
    }
  }
  return problems;
}
