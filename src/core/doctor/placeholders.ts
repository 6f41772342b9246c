/**
 * Values that were copied from an example and never filled in. example.tfvars and the seed use
 * these shapes; a tfvars still holding one would fail much later, on a real AWS call.
 */
const PLACEHOLDER = [
  /X{6,}/, // ssoins-XXXXXXXXXX, dckr_pat_XXXXXXXXXX
  /^your[-_]/i, // your-sso-user-id, your-dockerhub-username
  /REPLACE[-_ ]?ME|CHANGE[-_ ]?ME|TODO|<[a-z -]+>/i,
  /example\.invalid/, // the argocd/ repoURL before `aiplat init`
];

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.some((pattern) => pattern.test(value));
}

/** Paths (e.g. `cluster_config.capabilities_config.argocd_idc_instance_arn`) whose value is a placeholder. */
export function findPlaceholders(value: unknown, path = ""): string[] {
  if (typeof value === "string") return isPlaceholder(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findPlaceholders(item, `${path}[${i}]`));
  // A number, a boolean or null has no entries.
  return Object.entries(value ?? {}).flatMap(([k, v]) =>
    findPlaceholders(v, path === "" ? k : `${path}.${k}`),
  );
}
