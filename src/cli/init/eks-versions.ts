/**
 * The Kubernetes versions EKS offers for new clusters (DescribeClusterVersions), newest first, or
 * undefined when the API cannot be asked (no credentials, offline, no permission): init then
 * offers its built-in list.
 */
import type { AwsClientFactory } from "../../adapters/aws/clients.js";

export interface EksVersions {
  versions: string[];
  /** The version EKS picks when none is given. */
  defaultVersion?: string | undefined;
}

export async function describeEksVersions(
  clients: AwsClientFactory,
  region: string,
  signal?: AbortSignal,
): Promise<EksVersions | undefined> {
  try {
    const { DescribeClusterVersionsCommand } = await import("@aws-sdk/client-eks");
    const eks = await clients.eks(region);
    const versions: string[] = [];
    let defaultVersion: string | undefined;
    let token: string | undefined;
    do {
      const out = await eks.send(
        new DescribeClusterVersionsCommand({ nextToken: token }),
        // A slow or unreachable endpoint must not hold the wizard: give up after a few seconds.
        { abortSignal: anySignal(signal, AbortSignal.timeout(5000)) },
      );
      for (const v of out.clusterVersions ?? []) {
        if (!v.clusterVersion || v.versionStatus === "UNSUPPORTED" || v.status === "unsupported") continue;
        versions.push(v.clusterVersion);
        if (v.defaultVersion) defaultVersion = v.clusterVersion;
      }
      token = out.nextToken;
    } while (token);
    if (versions.length === 0) return undefined;
    versions.sort(compareVersionsDescending);
    return { versions: [...new Set(versions)], defaultVersion };
  } catch {
    return undefined;
  }
}

function anySignal(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

export function compareVersionsDescending(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return bm - am || bn - an;
}
