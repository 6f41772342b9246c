/**
 * What `aiplat status` reads besides the cluster: the repository's Terraform stages, tfvars and
 * `up` journal and the cached cluster outputs. EKS is the simulator's AWS face (region us-east-1,
 * the only region it serves), reached through AWS_ENDPOINT_URL as a user's SDK reaches AWS.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const BACKEND = 'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n';
const gated = (path: string) =>
  `# Optional stage. aiplat:enabled-when observability_configuration.${path}\n${BACKEND}`;

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/**
 * Four stages applied by `up` (journal), the native observability stage applied and then switched
 * off in the tfvars (it still holds resources), the OSS one never applied; the cluster outputs cached.
 */
export function writeInfrastructure(root: string, options: { clusterCache?: boolean } = {}): void {
  for (const stage of ["10.networking", "20.iam-roles-for-eks", "30.eks/30.cluster", "30.eks/35.addons"])
    write(root, `terraform/${stage}/backend.tf`, BACKEND);
  write(
    root,
    "terraform/40.observability/40.aws-native-observability/backend.tf",
    gated("aws_native_tooling"),
  );
  write(root, "terraform/40.observability/45.aws-oss-observability/backend.tf", gated("aws_oss_tooling"));
  write(
    root,
    "terraform/00.global/vars/dev.tfvars",
    'region = "us-east-1"\nobservability_configuration = {\n  aws_native_tooling = false\n  aws_oss_tooling = false\n}\n',
  );
  const at = "2026-01-01T10:00:00.000Z";
  const stages = Object.fromEntries(
    [
      "10.networking",
      "20.iam-roles-for-eks",
      "30.eks/30.cluster",
      "30.eks/35.addons",
      "40.observability/40.aws-native-observability",
    ].map((s) => [s, { status: "done", at }]),
  );
  write(root, ".aiplat/journal/dev/up.json", JSON.stringify({ version: 1, env: "dev", stages }));
  if (options.clusterCache !== false) {
    write(
      root,
      ".aiplat/dev/cluster.json",
      JSON.stringify({
        cluster_name: "aiplat-dev",
        region: "us-east-1",
        argocd_capability_name: "argocd",
      }),
    );
  }
}

/** The simulator's managed ArgoCD URL (DescribeCapability configuration.argoCd.serverUrl). */
export const ARGOCD_URL = /^https:\/\/[0-9a-f]+\.eks-capabilities\.us-east-1\.amazonaws\.com$/;

/**
 * No AWS credentials anywhere the SDK's default chain looks (environment, shared files, SSO,
 * container and instance metadata), for the in-process CLI: what a user without a login has.
 */
export function withoutAwsCredentials(stubEnv: (name: string, value: string) => void, dir: string): void {
  for (const name of [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
  ])
    stubEnv(name, "");
  stubEnv("AWS_CONFIG_FILE", join(dir, "no-aws-config"));
  stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "no-aws-credentials"));
  stubEnv("AWS_EC2_METADATA_DISABLED", "true");
}
