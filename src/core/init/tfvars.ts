/**
 * terraform/00.global/vars/<env>.tfvars: rendered from the answers with a comment header, and read
 * back (from @cdktf/hcl2json's plain data) to pre-fill a re-run. Rendering is deterministic, so
 * re-running with the same answers produces the same bytes and init rewrites nothing.
 */
import type { ArgoRole, CapabilityName, RbacIdentity, TfvarsAnswers } from "./answers.js";
import { ARGOCD_ROLES, CAPABILITY_NAMES, defaultTfvarsAnswers } from "./answers.js";
import { isIdentityId } from "./validate.js";

/** Values are validated (no quotes, backslashes, newlines or `${`) before they get here. */
function str(value: string): string {
  return `"${value}"`;
}

function renderMap(map: Record<string, string>, indent: string): string {
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return "{}";
  const width = Math.max(...keys.map((k) => k.length));
  const lines = keys.map((k) => `${indent}  ${k.padEnd(width)} = ${str(map[k]!)}`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function renderRbac(rbac: Record<ArgoRole, RbacIdentity[]>): string {
  const roles = ARGOCD_ROLES.filter((role) => rbac[role].length > 0);
  if (roles.length === 0) return "[]";
  const blocks = roles.map((role) => {
    const ids = rbac[role].map((i) => `          { id = ${str(i.id)}, type = ${str(i.type)} }`);
    return [
      "      {",
      `        role = ${str(role)}`,
      "        identities = [",
      ids.join(",\n"),
      "        ]",
      "      }",
    ].join("\n");
  });
  return `[\n${blocks.join(",\n")}\n    ]`;
}

export function renderTfvars(env: string, answers: TfvarsAnswers): string {
  const capWidth = Math.max(...CAPABILITY_NAMES.map((n) => n.length));
  const caps = CAPABILITY_NAMES.map((n) => `    ${n.padEnd(capWidth)} = ${answers.capabilities[n]}`);
  const policies = answers.ackIamPolicyArns.length
    ? `[\n${answers.ackIamPolicyArns.map((a) => `      ${str(a)}`).join(",\n")}\n    ]`
    : "[]";
  const o = answers.observability;
  return `# Environment "${env}", written by \`aiplat init\`. Re-run \`aiplat init --env ${env}\` to change it: every
# answer is pre-filled from this file. Hand edits to values init does not ask about (eks_auto_mode,
# private_eks_cluster, create_mng_system, gpu_node_limit, node_ami_alias, public_access_cidrs, model_cache, ack_iam_policy_arns,
# observability_configuration, tags)
# are kept; comments are not. Secrets never belong here (Docker Hub: ${env}.secret.tfvars).
# The types and validation rules of every key: terraform/00.global/variables.tf.

region   = ${str(answers.region)}
vpc_cidr = ${str(answers.vpcCidr)}

tags = ${renderMap(answers.tags, "")}

shared_config = {
  resources_prefix = ${str(answers.prefix)}
}

cluster_config = {
  kubernetes_version  = ${str(answers.kubernetesVersion)}
  eks_auto_mode       = ${answers.eksAutoMode}
  private_eks_cluster = ${answers.privateEksCluster}
  create_mng_system   = ${answers.createMngSystem}
  # The most GPUs the gpu-inference NodePool may run at once: the cap on GPU spend. Keep it at
  # least twice the GPUs of your largest endpoint (KubeRay upgrades beside the old Ray cluster).
  gpu_node_limit = ${answers.gpuNodeLimit}
${optionalClusterLines(answers)}
  capabilities = {
${caps.join("\n")}
  }

  # The managed Argo CD signs users in through IAM Identity Center.
  capabilities_config = {
    argocd_idc_instance_arn = ${str(answers.idcInstanceArn)}
    argocd_idc_region       = ${str(answers.idcRegion)}
    argocd_rbac_mappings = ${renderRbac(answers.rbac)}
    ack_iam_policy_arns = ${policies}
  }
}

observability_configuration = {
  aws_native_tooling = ${o.awsNativeTooling}
  aws_oss_tooling    = ${o.awsOssTooling}
  aws_oss_tooling_config = {
    enable_managed_collector = ${o.enableManagedCollector}
    enable_grafana_workspace = ${o.enableGrafanaWorkspace}
  }
}
`;
}

/** node_ami_alias, public_access_cidrs and model_cache, only when the file had them (else variables.tf's defaults). */
function optionalClusterLines(answers: TfvarsAnswers): string {
  const lines: string[] = [];
  if (answers.nodeAmiAlias !== undefined) lines.push(`  node_ami_alias = ${str(answers.nodeAmiAlias)}`);
  if (answers.publicAccessCidrs !== undefined)
    lines.push(`  public_access_cidrs = [${answers.publicAccessCidrs.map(str).join(", ")}]`);
  if (answers.modelCache !== undefined) lines.push(`  model_cache = ${answers.modelCache}`);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/**
 * The gitignored <env>.secret.tfvars holding only the Docker Hub credentials. The token is an
 * ephemeral Terraform variable (in no plan file, no state); the user name beside it is not secret.
 */
export function renderSecretTfvars(
  env: string,
  credentials: { username: string; accessToken: string; version: number },
): string {
  return `# Secret variables of environment "${env}", written by \`aiplat init\`. Never commit this file
# (*.secret.* is gitignored). \`aiplat up\` passes it to the stages after ${env}.tfvars.
docker_hub_username     = ${str(credentials.username)}
docker_hub_access_token = ${str(credentials.accessToken)}
# The token is write-only in Terraform: it reaches Secrets Manager only when this number changes.
# \`aiplat init\` adds one each time it writes a new token.
docker_hub_credentials_version = ${credentials.version}
`;
}

type Data = Record<string, unknown>;
const obj = (value: unknown): Data =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Data) : {};
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === "boolean" ? value : fallback);
/** Number.isInteger is false for anything that is not a number, so no typeof test is needed. */
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const wholeNumber = (value: unknown, fallback: number): number =>
  isInteger(value) && value >= 1 && value <= 512 ? value : fallback;

/**
 * What an existing tfvars says, as partial answers (hcl2json output). Values of the wrong type are
 * left out, so init asks for them again instead of carrying garbage forward.
 */
export function readTfvarsAnswers(parsed: Data): Partial<TfvarsAnswers> {
  const defaults = defaultTfvarsAnswers();
  const cluster = obj(parsed.cluster_config);
  const caps = obj(cluster.capabilities);
  const idc = obj(cluster.capabilities_config);
  const observability = obj(parsed.observability_configuration);
  const oss = obj(observability.aws_oss_tooling_config);
  const result: Partial<TfvarsAnswers> = {
    eksAutoMode: bool(cluster.eks_auto_mode, defaults.eksAutoMode),
    privateEksCluster: bool(cluster.private_eks_cluster, defaults.privateEksCluster),
    createMngSystem: bool(cluster.create_mng_system, defaults.createMngSystem),
    gpuNodeLimit: wholeNumber(cluster.gpu_node_limit, defaults.gpuNodeLimit),
    ...(typeof cluster.node_ami_alias === "string" ? { nodeAmiAlias: cluster.node_ami_alias } : {}),
    ...(Array.isArray(cluster.public_access_cidrs) &&
    cluster.public_access_cidrs.every((c): c is string => typeof c === "string")
      ? { publicAccessCidrs: cluster.public_access_cidrs }
      : {}),
    ...(typeof cluster.model_cache === "boolean" ? { modelCache: cluster.model_cache } : {}),
    observability: {
      awsNativeTooling: bool(observability.aws_native_tooling, false),
      awsOssTooling: bool(observability.aws_oss_tooling, false),
      enableManagedCollector: bool(oss.enable_managed_collector, true),
      enableGrafanaWorkspace: bool(oss.enable_grafana_workspace, false),
    },
  };
  const set = <K extends keyof TfvarsAnswers>(key: K, value: TfvarsAnswers[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set("region", text(parsed.region));
  set("vpcCidr", text(parsed.vpc_cidr));
  set("prefix", text(obj(parsed.shared_config).resources_prefix));
  set("kubernetesVersion", text(cluster.kubernetes_version));
  set("idcInstanceArn", text(idc.argocd_idc_instance_arn));
  set("idcRegion", text(idc.argocd_idc_region));
  const tags = Object.entries(obj(parsed.tags)).filter(([, v]) => typeof v === "string");
  set("tags", Object.fromEntries(tags) as Record<string, string>);
  if (Object.keys(caps).length > 0) {
    set(
      "capabilities",
      Object.fromEntries(CAPABILITY_NAMES.map((n: CapabilityName) => [n, bool(caps[n], true)])) as Record<
        CapabilityName,
        boolean
      >,
    );
  }
  if (Array.isArray(idc.ack_iam_policy_arns)) {
    set(
      "ackIamPolicyArns",
      idc.ack_iam_policy_arns.filter((a): a is string => typeof a === "string"),
    );
  }
  if (Array.isArray(idc.argocd_rbac_mappings)) {
    const rbac = { ADMIN: [], EDITOR: [], VIEWER: [] } as Record<ArgoRole, RbacIdentity[]>;
    for (const mapping of idc.argocd_rbac_mappings.map(obj)) {
      const role = text(mapping.role) as ArgoRole | undefined;
      if (!role || !(ARGOCD_ROLES as readonly string[]).includes(role)) continue;
      // Stryker disable next-line ArrayDeclaration: a string element becomes {} through obj(), which has no id and is skipped
      for (const identity of (Array.isArray(mapping.identities) ? mapping.identities : []).map(obj)) {
        const id = text(identity.id);
        const type = text(identity.type);
        if (id && (type === "SSO_USER" || type === "SSO_GROUP")) rbac[role].push({ id, type });
      }
    }
    set("rbac", rbac);
  }
  return result;
}

/**
 * Mappings in an existing file that init would drop when reading it back: a wrong role, type or
 * id. A re-run without a terminal reports them instead of silently losing someone's access.
 */
export function checkTfvarsRbac(parsed: Data): string[] {
  const idc = obj(obj(parsed.cluster_config).capabilities_config);
  if (!Array.isArray(idc.argocd_rbac_mappings)) return [];
  const problems: string[] = [];
  for (const mapping of idc.argocd_rbac_mappings.map(obj)) {
    const role = text(mapping.role) ?? "";
    if (!(ARGOCD_ROLES as readonly string[]).includes(role)) {
      problems.push(`argocd_rbac_mappings role ${JSON.stringify(role)} must be ${ARGOCD_ROLES.join(", ")}`);
    }
    for (const identity of (Array.isArray(mapping.identities) ? mapping.identities : []).map(obj)) {
      const id = text(identity.id) ?? "";
      const type = text(identity.type) ?? "";
      if (type !== "SSO_USER" && type !== "SSO_GROUP") {
        problems.push(
          `argocd_rbac_mappings identity type ${JSON.stringify(type)} must be SSO_USER or SSO_GROUP`,
        );
      }
      if (!isIdentityId(id))
        problems.push(`argocd_rbac_mappings id ${JSON.stringify(id)} is not an identity-store id`);
    }
  }
  return problems;
}

/** The tfvars data init writes, in hcl2json's shape: what the round-trip test compares against. */
export function toTfvarsData(answers: TfvarsAnswers): Data {
  return {
    region: answers.region,
    vpc_cidr: answers.vpcCidr,
    tags: answers.tags,
    shared_config: { resources_prefix: answers.prefix },
    cluster_config: {
      kubernetes_version: answers.kubernetesVersion,
      eks_auto_mode: answers.eksAutoMode,
      private_eks_cluster: answers.privateEksCluster,
      create_mng_system: answers.createMngSystem,
      gpu_node_limit: answers.gpuNodeLimit,
      ...(answers.nodeAmiAlias !== undefined ? { node_ami_alias: answers.nodeAmiAlias } : {}),
      ...(answers.publicAccessCidrs !== undefined ? { public_access_cidrs: answers.publicAccessCidrs } : {}),
      ...(answers.modelCache !== undefined ? { model_cache: answers.modelCache } : {}),
      capabilities: { ...answers.capabilities },
      capabilities_config: {
        argocd_idc_instance_arn: answers.idcInstanceArn,
        argocd_idc_region: answers.idcRegion,
        argocd_rbac_mappings: ARGOCD_ROLES.filter((r) => answers.rbac[r].length > 0).map((role) => ({
          role,
          identities: answers.rbac[role].map((i) => ({ id: i.id, type: i.type })),
        })),
        ack_iam_policy_arns: answers.ackIamPolicyArns,
      },
    },
    observability_configuration: {
      aws_native_tooling: answers.observability.awsNativeTooling,
      aws_oss_tooling: answers.observability.awsOssTooling,
      aws_oss_tooling_config: {
        enable_managed_collector: answers.observability.enableManagedCollector,
        enable_grafana_workspace: answers.observability.enableGrafanaWorkspace,
      },
    },
  };
}
