/**
 * Which IAM Identity Center instance the managed ArgoCD signs users in with: discovered with
 * sso-admin ListInstances in the Identity Center region (which may differ from the cluster's).
 * Without permission or without an instance the user is told so and types the ARN instead.
 */
import {
  type IdcInstance,
  type IdentityCenter,
  IdentityCenterUnavailable,
} from "../../adapters/aws/identity-center.js";
import { checkIdcInstanceArn } from "../../core/init/validate.js";
import type { IoHost } from "../../ui/io-host.js";
import type { FieldResolver } from "./resolver.js";

export interface Discovery {
  instances?: IdcInstance[] | undefined;
  /** Why discovery is not possible (access denied, no credentials, unreachable). */
  unavailable?: string | undefined;
}

/** Lists instances once; failures that mean "not allowed / not signed in" become `unavailable`. */
export async function discoverInstances(center: IdentityCenter): Promise<Discovery> {
  try {
    return { instances: await center.listInstances() };
  } catch (error) {
    if (error instanceof IdentityCenterUnavailable) return { unavailable: error.message };
    throw error;
  }
}

export function describeInstance(i: IdcInstance): string {
  return `${i.name ? `${i.name} ` : ""}${i.arn} (identity store ${i.identityStoreId}, ${i.region})`;
}

export async function resolveInstanceArn(
  r: FieldResolver,
  io: IoHost,
  options: {
    given?: string | undefined;
    prefill?: string | undefined;
    yes: boolean;
    idcRegion: string;
    discover: () => Promise<Discovery>;
  },
): Promise<string | undefined> {
  const typed = (reason: string) => {
    io.warn(
      r.interactive
        ? `${reason}; type the instance ARN instead (aws sso-admin list-instances).`
        : `${reason}; pass --idc-instance-arn (aws sso-admin list-instances).`,
    );
    return r.text({
      flag: "--idc-instance-arn",
      message: "Identity Center instance ARN",
      prefill: options.prefill,
      validate: checkIdcInstanceArn,
    });
  };
  if (options.given !== undefined)
    return r.text({
      flag: "--idc-instance-arn",
      message: "",
      given: options.given,
      validate: checkIdcInstanceArn,
    });
  // Without a TTY a pre-filled value stands and nothing is discovered; only --yes discovers.
  if (!r.interactive && (options.prefill !== undefined || !options.yes)) {
    return r.text({
      flag: "--idc-instance-arn",
      message: "",
      prefill: options.prefill,
      validate: checkIdcInstanceArn,
      yesFills: true,
    });
  }
  const found = await options.discover();
  if (found.unavailable !== undefined)
    return typed(`Identity Center discovery is not possible: ${found.unavailable}`);
  const instances = found.instances ?? [];
  if (instances.length === 0) {
    return typed(
      `No Identity Center instance in ${options.idcRegion} (is it in another region? see --idc-region)`,
    );
  }
  if (instances.length === 1) {
    io.info(`Identity Center instance: ${describeInstance(instances[0]!)}`);
    return instances[0]!.arn;
  }
  if (!r.interactive) {
    r.problems.push(
      `--idc-instance-arn: ${instances.length} Identity Center instances in ${options.idcRegion}; choose one of ${instances.map((i) => i.arn).join(", ")}`,
    );
    return undefined;
  }
  return io.prompt.select({
    flag: "--idc-instance-arn",
    message: "Identity Center instance",
    choices: instances.map((i) => ({ name: describeInstance(i), value: i.arn })),
    default: instances.some((i) => i.arn === options.prefill) ? options.prefill : undefined,
  });
}
