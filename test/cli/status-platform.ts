/**
 * What `aiplat status` reads besides the cluster: the repository's Terraform stages, tfvars and
 * `up` journal, the cached cluster outputs, and EKS (intercepted with aws-sdk-client-mock until the
 * simulator's AWS face answers DescribeCluster/ListCapabilities itself).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  DescribeCapabilityCommand,
  DescribeClusterCommand,
  EKSClient,
  ListCapabilitiesCommand,
} from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";

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
    'region = "eu-central-1"\nobservability_configuration = {\n  aws_native_tooling = false\n  aws_oss_tooling = false\n}\n',
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
        region: "eu-central-1",
        argocd_capability_name: "argocd",
      }),
    );
  }
}

export const ARGOCD_URL = "https://abc123.eks-capabilities.eu-central-1.amazonaws.com";

/** EKS answering for aiplat-dev: version, ACTIVE, the three capabilities, the ArgoCD URL. */
export function mockEks(eks = mockClient(EKSClient)) {
  eks
    .on(DescribeClusterCommand)
    .resolves({ cluster: { name: "aiplat-dev", version: "1.34", status: "ACTIVE" } });
  eks.on(ListCapabilitiesCommand).resolves({
    capabilities: [
      { capabilityName: "argocd", type: "ARGOCD", status: "ACTIVE" },
      { capabilityName: "kro", type: "KRO", status: "ACTIVE" },
      { capabilityName: "ack", type: "ACK", status: "ACTIVE" },
    ],
  });
  eks
    .on(DescribeCapabilityCommand)
    .resolves({ capability: { configuration: { argoCd: { serverUrl: ARGOCD_URL } } } as never });
  return eks;
}
