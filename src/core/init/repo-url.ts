/**
 * The repoURL ArgoCD syncs from, derived from this clone's `origin` remote.
 *
 * Decision: SSH remotes are converted to their https form (git@github.com:me/aiplat.git →
 * https://github.com/me/aiplat.git). The managed ArgoCD can clone a public fork over https with no
 * repository secret, while an SSH URL needs a private key registered in ArgoCD first, which init
 * cannot do. A private fork needs a repository secret either way; pass `--repo-url` with the SSH
 * form to keep SSH (an explicit --repo-url is written as given).
 */

export type RepoUrlResult = { ok: true; url: string; converted: boolean } | { ok: false; reason: string };

export function convertRemoteUrl(remote: string): RepoUrlResult {
  const url = remote.trim();
  // scp-like: git@github.com:owner/repo(.git)
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/)(.+)$/.exec(url);
  if (scp) return { ok: true, url: `https://${scp[1]}/${withGitSuffix(scp[2]!)}`, converted: true };
  // ssh://git@host[:port]/owner/repo(.git): the SSH port has no meaning over https.
  const ssh = /^ssh:\/\/(?:[^@/]+@)?([A-Za-z0-9.-]+)(?::[0-9]+)?\/(.+)$/.exec(url);
  if (ssh) return { ok: true, url: `https://${ssh[1]}/${withGitSuffix(ssh[2]!)}`, converted: true };
  const https = /^https?:\/\/(?:[^@/]+@)?([^/]+)\/(.+)$/.exec(url);
  if (https) {
    // Credentials embedded in a remote (https://user:token@host/...) must never reach git; an
    // http:// remote becomes https:// (and so always counts as converted).
    const clean = `https://${https[1]}/${withGitSuffix(https[2]!)}`;
    return { ok: true, url: clean, converted: clean !== url };
  }
  return {
    ok: false,
    reason: `the origin remote ${JSON.stringify(url)} is not a URL ArgoCD can clone (a local path or an unknown scheme)`,
  };
}

function withGitSuffix(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.endsWith(".git") ? trimmed : `${trimmed}.git`;
}
