import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

export interface AwsProfileInfo {
  /** AWS_PROFILE, or undefined for the default chain. */
  name: string | undefined;
  /** The profile signs in through IAM Identity Center: expired sessions are fixed with `aws sso login`. */
  sso: boolean;
  /** Region from AWS_REGION / AWS_DEFAULT_REGION, else the profile's `region`. */
  region: string | undefined;
  /** False when AWS_PROFILE names a profile in neither the config nor the credentials file. */
  known?: boolean;
}

/** Reads the shared config file the way the SDK does, enough to know the profile's kind and region. */
export async function readAwsProfile(
  env: Readonly<Record<string, string | undefined>>,
): Promise<AwsProfileInfo> {
  const name = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || undefined;
  const file = env.AWS_CONFIG_FILE || join(env.HOME || homedir(), ".aws", "config");
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch {
    // No config file: environment credentials or an instance role; nothing more to learn here.
  }
  const sections = parseIni(text);
  const section =
    sections.get(name ? `profile ${name}` : "default") ?? (name ? sections.get(name) : undefined);
  const sso = section !== undefined && (section.has("sso_session") || section.has("sso_start_url"));
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || section?.get("region") || undefined;
  const known = name === undefined || section !== undefined || (await inCredentialsFile(env, name));
  return { name, sso, region, known };
}

async function inCredentialsFile(env: Readonly<Record<string, string | undefined>>, name: string) {
  const file = env.AWS_SHARED_CREDENTIALS_FILE || join(env.HOME || homedir(), ".aws", "credentials");
  try {
    return parseIni(await readFile(file, "utf8")).has(name);
  } catch {
    return false;
  }
}

function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!.trim().replace(/\s+/g, " "), current);
      continue;
    }
    const eq = line.indexOf("=");
    if (current && eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/**
 * How to get working credentials for this profile: the `aws sso login` command for an SSO profile,
 * else a sentence. Never `aws configure`: aiplat itself needs no AWS CLI (README), and an
 * AWS_PROFILE that names no profile is said by name.
 */
export function reloginCommand(profile: AwsProfileInfo): string {
  if (profile.known === false) {
    return `AWS_PROFILE=${profile.name} names no profile in ~/.aws/config or ~/.aws/credentials: set AWS_PROFILE to a profile that exists, or unset it.`;
  }
  if (profile.sso) return `aws sso login${profile.name ? ` --profile ${profile.name}` : ""}`;
  return "Export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or set AWS_PROFILE to a profile in ~/.aws/config.";
}

/** A hint that gets working credentials, then runs `next`: commands in backticks, prose outside. */
export function reloginHint(profile: AwsProfileInfo, next: string): string {
  const relogin = reloginCommand(profile);
  if (profile.sso && profile.known !== false) return `Run \`${relogin}\`, then ${next}.`;
  return `${relogin} Then ${next}.`;
}
