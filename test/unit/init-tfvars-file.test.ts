import { describe, expect, it } from "vitest";
import { allCapabilities, type TfvarsAnswers } from "../../src/core/init/answers.js";
import {
  checkTfvarsRbac,
  readTfvarsAnswers,
  renderSecretTfvars,
  renderTfvars,
  toTfvarsData,
} from "../../src/core/init/tfvars.js";

const ID1 = "906744a8-1234-5678-9abc-def012345678";
const ID2 = "c1b2c3d4-aaaa-bbbb-cccc-ddddeeeeffff";
const ID3 = "a1b2c3d4-1111-2222-3333-444455556666";
const ARN = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6";

const FULL: TfvarsAnswers = {
  region: "us-east-1",
  vpcCidr: "10.8.0.0/16",
  tags: { team: "ml", a: "b" },
  prefix: "acme-ai",
  kubernetesVersion: "1.34",
  eksAutoMode: false,
  privateEksCluster: false,
  createMngSystem: true,
  gpuNodeLimit: 32,
  nodeAmiAlias: "al2023@v20251103",
  publicAccessCidrs: ["203.0.113.7/32", "198.51.100.0/24"],
  modelCache: true,
  capabilities: { ...allCapabilities(true), ack: false },
  idcInstanceArn: ARN,
  idcRegion: "us-east-1",
  rbac: {
    ADMIN: [{ id: ID1, type: "SSO_USER" }],
    EDITOR: [],
    VIEWER: [
      { id: ID2, type: "SSO_GROUP" },
      { id: ID3, type: "SSO_USER" },
    ],
  },
  ackIamPolicyArns: ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"],
  observability: {
    awsNativeTooling: false,
    awsOssTooling: true,
    enableManagedCollector: true,
    enableGrafanaWorkspace: false,
  },
};

const HEADER = `# Environment "qa", written by \`aiplat init\`. Re-run \`aiplat init --env qa\` to change it: every
# answer is pre-filled from this file. Hand edits to values init does not ask about (eks_auto_mode,
# private_eks_cluster, create_mng_system, gpu_node_limit, node_ami_alias, public_access_cidrs, model_cache, ack_iam_policy_arns,
# observability_configuration, tags)
# are kept; comments are not. Secrets never belong here (Docker Hub: qa.secret.tfvars).
# The types and validation rules of every key: terraform/00.global/variables.tf.
`;

describe("the tfvars file, byte for byte", () => {
  it("aligns keys, sorts tags, lists mappings per role and writes the kept hand edits", () => {
    expect(renderTfvars("qa", FULL)).toBe(`${HEADER}
region   = "us-east-1"
vpc_cidr = "10.8.0.0/16"

tags = {
  a    = "b"
  team = "ml"
}

shared_config = {
  resources_prefix = "acme-ai"
}

cluster_config = {
  kubernetes_version  = "1.34"
  eks_auto_mode       = false
  private_eks_cluster = false
  create_mng_system   = true
  # The most GPUs the gpu-inference NodePool may run at once: the cap on GPU spend. Keep it at
  # least twice the GPUs of your largest endpoint (KubeRay upgrades beside the old Ray cluster).
  gpu_node_limit = 32
  node_ami_alias = "al2023@v20251103"
  public_access_cidrs = ["203.0.113.7/32", "198.51.100.0/24"]
  model_cache = true

  capabilities = {
    kube_proxy    = true
    networking    = true
    coredns       = true
    identity      = true
    autoscaling   = true
    blockstorage  = true
    loadbalancing = true
    gitops        = true
    kro           = true
    ack           = false
  }

  # The managed Argo CD signs users in through IAM Identity Center.
  capabilities_config = {
    argocd_idc_instance_arn = "${ARN}"
    argocd_idc_region       = "us-east-1"
    argocd_rbac_mappings = [
      {
        role = "ADMIN"
        identities = [
          { id = "${ID1}", type = "SSO_USER" }
        ]
      },
      {
        role = "VIEWER"
        identities = [
          { id = "${ID2}", type = "SSO_GROUP" },
          { id = "${ID3}", type = "SSO_USER" }
        ]
      }
    ]
    ack_iam_policy_arns = [
      "arn:aws:iam::aws:policy/A",
      "arn:aws:iam::aws:policy/B"
    ]
  }
}

observability_configuration = {
  aws_native_tooling = false
  aws_oss_tooling    = true
  aws_oss_tooling_config = {
    enable_managed_collector = true
    enable_grafana_workspace = false
  }
}
`);
  });

  it("writes empty maps and lists, and leaves out the hand edits the file did not have", () => {
    const bare: TfvarsAnswers = {
      ...FULL,
      tags: {},
      nodeAmiAlias: undefined,
      publicAccessCidrs: undefined,
      rbac: { ADMIN: [], EDITOR: [], VIEWER: [] },
      ackIamPolicyArns: [],
      modelCache: false,
    };
    const text = renderTfvars("qa", bare);
    expect(text).toContain("\ntags = {}\n");
    expect(text).toContain("  gpu_node_limit = 32\n  model_cache = false\n\n  capabilities = {\n");
    expect(text).toContain("    argocd_rbac_mappings = []\n    ack_iam_policy_arns = []\n");
    expect(text).not.toContain("node_ami_alias =");
    expect(text).not.toContain("public_access_cidrs =");
    const none = renderTfvars("qa", { ...bare, modelCache: undefined });
    expect(none).toContain("  gpu_node_limit = 32\n\n  capabilities = {\n");
  });

  it("writes the Docker Hub credentials alone, in the secret file, with their version", () => {
    expect(renderSecretTfvars("qa", { username: "me", accessToken: "dckr_pat_abcdef", version: 4 })).toBe(
      `# Secret variables of environment "qa", written by \`aiplat init\`. Never commit this file
# (*.secret.* is gitignored). \`aiplat up\` passes it to the stages after qa.tfvars.
docker_hub_username     = "me"
docker_hub_access_token = "dckr_pat_abcdef"
# The token is write-only in Terraform: it reaches Secrets Manager only when this number changes.
# \`aiplat init\` adds one each time it writes a new token.
docker_hub_credentials_version = 4
`,
    );
  });

  it("has the optional keys in its data only when the answers have them", () => {
    const cluster = (a: TfvarsAnswers) => toTfvarsData(a).cluster_config as Record<string, unknown>;
    expect(cluster(FULL)).toMatchObject({
      node_ami_alias: "al2023@v20251103",
      public_access_cidrs: ["203.0.113.7/32", "198.51.100.0/24"],
      model_cache: true,
    });
    const without = cluster({
      ...FULL,
      nodeAmiAlias: undefined,
      publicAccessCidrs: undefined,
      modelCache: undefined,
    });
    expect(Object.keys(without)).toEqual([
      "kubernetes_version",
      "eks_auto_mode",
      "private_eks_cluster",
      "create_mng_system",
      "gpu_node_limit",
      "capabilities",
      "capabilities_config",
    ]);
  });
});

describe("reading an existing tfvars back", () => {
  it("drops values of the wrong type, so init asks for them again", () => {
    expect(
      readTfvarsAnswers({
        region: 5,
        vpc_cidr: ["10.0.0.0/16"],
        tags: { team: "ml", count: 3 },
        shared_config: "acme",
        cluster_config: {
          kubernetes_version: 1.34,
          eks_auto_mode: "true",
          private_eks_cluster: 1,
          create_mng_system: "false",
          gpu_node_limit: "32",
          node_ami_alias: 7,
          public_access_cidrs: ["203.0.113.7/32", 5],
          model_cache: "yes",
          capabilities: {},
          capabilities_config: {
            argocd_idc_instance_arn: null,
            argocd_idc_region: false,
            ack_iam_policy_arns: "arn",
          },
        },
        observability_configuration: {
          aws_native_tooling: "on",
          aws_oss_tooling: 1,
          aws_oss_tooling_config: { enable_managed_collector: "no", enable_grafana_workspace: 0 },
        },
      }),
    ).toEqual({
      eksAutoMode: false,
      privateEksCluster: false,
      createMngSystem: true,
      gpuNodeLimit: 16,
      tags: { team: "ml" },
      observability: {
        awsNativeTooling: false,
        awsOssTooling: false,
        enableManagedCollector: true,
        enableGrafanaWorkspace: false,
      },
    });
  });

  it("reads an empty file as the defaults of what init does not ask", () => {
    expect(readTfvarsAnswers({})).toStrictEqual({
      eksAutoMode: false,
      privateEksCluster: false,
      createMngSystem: true,
      gpuNodeLimit: 16,
      tags: {},
      observability: {
        awsNativeTooling: false,
        awsOssTooling: false,
        enableManagedCollector: true,
        enableGrafanaWorkspace: false,
      },
    });
  });

  it("reads null or text where a block should be as an empty block", () => {
    expect(
      readTfvarsAnswers({ tags: "team=ml", cluster_config: null, observability_configuration: "on" }),
    ).toStrictEqual(readTfvarsAnswers({}));
    expect(readTfvarsAnswers({ cluster_config: { capabilities: "all" } }).capabilities).toBeUndefined();
  });

  it("keeps the hand-set booleans and lists as they are", () => {
    const read = readTfvarsAnswers({
      cluster_config: {
        eks_auto_mode: true,
        private_eks_cluster: true,
        create_mng_system: false,
        capabilities: { ack: false, kro: "no" },
        capabilities_config: { ack_iam_policy_arns: ["arn:a", 5, "arn:b"] },
      },
      observability_configuration: {
        aws_native_tooling: true,
        aws_oss_tooling: true,
        aws_oss_tooling_config: { enable_managed_collector: false, enable_grafana_workspace: true },
      },
    });
    expect(read).toMatchObject({
      eksAutoMode: true,
      privateEksCluster: true,
      createMngSystem: false,
      capabilities: { ...allCapabilities(true), ack: false },
      ackIamPolicyArns: ["arn:a", "arn:b"],
      observability: {
        awsNativeTooling: true,
        awsOssTooling: true,
        enableManagedCollector: false,
        enableGrafanaWorkspace: true,
      },
    });
  });

  it("keeps only well-formed role mappings", () => {
    const read = readTfvarsAnswers({
      cluster_config: {
        capabilities_config: {
          argocd_rbac_mappings: [
            { role: "OWNER", identities: [{ id: ID1, type: "SSO_USER" }] },
            { identities: [{ id: ID1, type: "SSO_USER" }] },
            { role: "EDITOR", identities: "all" },
            {
              role: "VIEWER",
              identities: [
                { id: ID1, type: "USER" },
                { type: "SSO_USER" },
                { id: ID2, type: "SSO_GROUP" },
                "x",
                { id: ID3, type: "SSO_USER" },
              ],
            },
            { role: "VIEWER", identities: [{ id: ID1, type: "SSO_USER" }] },
          ],
        },
      },
    });
    expect(read.rbac).toEqual({
      ADMIN: [],
      EDITOR: [],
      VIEWER: [
        { id: ID2, type: "SSO_GROUP" },
        { id: ID3, type: "SSO_USER" },
        { id: ID1, type: "SSO_USER" },
      ],
    });
    expect(readTfvarsAnswers({}).rbac).toBeUndefined();
  });
});

describe("role mappings init would drop on a re-run", () => {
  it("finds none in a file without mappings, or with good ones", () => {
    expect(checkTfvarsRbac({})).toEqual([]);
    expect(
      checkTfvarsRbac({ cluster_config: { capabilities_config: { argocd_rbac_mappings: "x" } } }),
    ).toEqual([]);
    expect(
      checkTfvarsRbac({
        cluster_config: {
          capabilities_config: {
            argocd_rbac_mappings: [
              { role: "ADMIN", identities: [{ id: ID1, type: "SSO_USER" }] },
              { role: "EDITOR", identities: [{ id: ID2, type: "SSO_GROUP" }] },
              { role: "VIEWER" },
            ],
          },
        },
      }),
    ).toEqual([]);
  });

  it("names each wrong role, type and id", () => {
    expect(
      checkTfvarsRbac({
        cluster_config: {
          capabilities_config: {
            argocd_rbac_mappings: [
              { role: "OWNER", identities: [{ id: "your-sso-user-id", type: "USER" }] },
              { identities: [{}] },
              { role: "VIEWER", identities: "x" },
            ],
          },
        },
      }),
    ).toEqual([
      'argocd_rbac_mappings role "OWNER" must be ADMIN, EDITOR, VIEWER',
      'argocd_rbac_mappings identity type "USER" must be SSO_USER or SSO_GROUP',
      'argocd_rbac_mappings id "your-sso-user-id" is not an identity-store id',
      'argocd_rbac_mappings role "" must be ADMIN, EDITOR, VIEWER',
      'argocd_rbac_mappings identity type "" must be SSO_USER or SSO_GROUP',
      'argocd_rbac_mappings id "" is not an identity-store id',
    ]);
  });
});
