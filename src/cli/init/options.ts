/** The flags of `aiplat init`: one per question, named like the answers-file keys. */
import type { Command } from "commander";
import { CAPABILITY_NAMES } from "../../core/init/answers.js";
import type { RawInit } from "../../core/init/raw-input.js";

export interface InitOptions {
  answers?: string;
  region?: string;
  prefix?: string;
  vpcCidr?: string;
  kubernetesVersion?: string;
  capabilities?: string;
  idcInstanceArn?: string;
  idcRegion?: string;
  argocdAdmin: string[];
  argocdEditor: string[];
  argocdViewer: string[];
  repoUrl?: string;
  revision?: string;
  dockerHubUsername?: string;
  apiCidrs?: string;
  /** false with --no-activate: .aiplat/active-env is left as it is. */
  activate?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addInitOptions(command: Command): Command {
  return command
    .option(
      "--answers <file>",
      "YAML file of answers; its keys are these flag names (e.g. vpc-cidr: 10.4.0.0/16)",
    )
    .option("--region <region>", "AWS region of the cluster (e.g. eu-central-1)")
    .option("--prefix <prefix>", "resources_prefix: the cluster is <prefix>-<env> (3-20 of a-z, 0-9, -)")
    .option("--vpc-cidr <cidr>", "VPC CIDR: a private (RFC 1918) range, /16 to /18")
    .option("--kubernetes-version <version>", "EKS Kubernetes version, e.g. 1.35")
    .option(
      "--capabilities <list>",
      `capabilities to turn on: all, none, or a comma list (${CAPABILITY_NAMES.join(", ")}); "all,-ack" turns one off`,
    )
    .option("--idc-instance-arn <arn>", "IAM Identity Center instance ARN (discovered when not given)")
    .option("--idc-region <region>", "region of the Identity Center instance (default: the cluster region)")
    .option(
      "--argocd-admin <who>",
      "ArgoCD ADMIN: a user name, e-mail or display name, group:<name>, or an id (repeatable)",
      collect,
      [],
    )
    .option("--argocd-editor <who>", "ArgoCD EDITOR (repeatable, like --argocd-admin)", collect, [])
    .option("--argocd-viewer <who>", "ArgoCD VIEWER (repeatable, like --argocd-admin)", collect, [])
    .option(
      "--repo-url <url>",
      "the repository ArgoCD syncs (default: this clone's origin, SSH converted to https)",
    )
    .option("--revision <branch>", "the branch ArgoCD follows (default: the current branch)")
    .option(
      "--docker-hub-username <name>",
      "Docker Hub user for the ECR pull-through cache; the token comes from DOCKER_HUB_TOKEN or a hidden prompt",
    )
    .option(
      "--api-cidrs <list>",
      "who may reach the public Kubernetes API: comma list of IPv4 CIDRs (asked with your own address/32 as the default)",
    )
    .option(
      "--no-activate",
      "leave the active environment as it is (commands without --env keep acting on it)",
    );
}

export function toRawInit(options: InitOptions): RawInit {
  return {
    region: options.region,
    prefix: options.prefix,
    vpcCidr: options.vpcCidr,
    kubernetesVersion: options.kubernetesVersion,
    capabilities: options.capabilities,
    idcInstanceArn: options.idcInstanceArn,
    idcRegion: options.idcRegion,
    argocdAdmin: options.argocdAdmin,
    argocdEditor: options.argocdEditor,
    argocdViewer: options.argocdViewer,
    repoUrl: options.repoUrl,
    revision: options.revision,
    dockerHubUsername: options.dockerHubUsername,
    apiCidrs: options.apiCidrs,
  };
}
