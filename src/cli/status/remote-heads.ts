import type { CommandContext } from "../context.js";

/**
 * Branch heads of the platform repository's remote, read once with `git ls-remote origin` (what
 * ArgoCD resolves targetRevision against): ref name (`main`, `HEAD`) → commit. undefined when
 * there is no repository or the remote does not answer; the GitOps section then shows no "behind".
 */
export async function readRemoteHeads(ctx: CommandContext): Promise<Map<string, string> | undefined> {
  let root: string;
  try {
    root = ctx.root();
  } catch {
    return undefined;
  }
  const result = await ctx.adapters.process
    .run("git", ["ls-remote", "origin", "HEAD", "refs/heads/*"], { cwd: root, signal: ctx.signal })
    .catch(() => undefined);
  if (result?.exitCode !== 0) {
    ctx.io.debug(`git ls-remote origin failed: ${result?.stderr ?? "not run"}`);
    return undefined;
  }
  const heads = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (!sha || !ref) continue;
    heads.set(ref.replace(/^refs\/heads\//, ""), sha);
  }
  return heads;
}
