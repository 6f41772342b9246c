import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { rewriteApplicationsText, rewriteArgoRepo } from "../../src/adapters/argocd-repo.js";
import { convertRemoteUrl } from "../../src/core/init/repo-url.js";
import { makeTestRepo } from "../support/git-repo.js";
import { repoRoot } from "../support/paths.js";

const PLACEHOLDER = "https://example.invalid/set-by-aiplat-init.git";

function gitSources(text: string): Array<{ repoURL: string; targetRevision: string }> {
  const app = parse(text) as {
    spec: { source?: Record<string, string>; sources?: Array<Record<string, string>> };
  };
  const all = [...(app.spec.source ? [app.spec.source] : []), ...(app.spec.sources ?? [])];
  return all.filter((s) => !("chart" in s)) as Array<{ repoURL: string; targetRevision: string }>;
}

describe("argocd/ repoURL rewrite", () => {
  it.each([
    ["an https remote", "https://github.com/me/aiplat.git"],
    ["an SSH remote", "git@github.com:me/aiplat.git"],
  ])("points every git source at %s and keeps comments, layout and chart sources", async (_, remote) => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["argocd"] });
    const converted = convertRemoteUrl(remote);
    if (!converted.ok) throw new Error(converted.reason);
    const before = Object.fromEntries(
      ["litellm.yaml", "gpu-operator.yaml"].map((n) => [
        n,
        readFileSync(join(repo.dir, "argocd", n), "utf8"),
      ]),
    );
    const changes = await rewriteArgoRepo(repo.dir, { repoUrl: converted.url, revision: "feature/fork" });
    expect(changes.length).toBeGreaterThanOrEqual(6);
    expect(changes.every((c) => c.changed && c.sources >= 1)).toBe(true);

    for (const [name, old] of Object.entries(before)) {
      const text = readFileSync(join(repo.dir, "argocd", name), "utf8");
      expect(
        gitSources(text).every(
          (s) => s.repoURL === "https://github.com/me/aiplat.git" && s.targetRevision === "feature/fork",
        ),
      ).toBe(true);
      // Only the two rewritten lines differ: every comment and every other line is where it was.
      const a = old.split("\n");
      const b = text.split("\n");
      expect(b).toHaveLength(a.length);
      const diff = b.filter((line, i) => line !== a[i]);
      expect(diff.map((l) => l.trim().replace(/^- /, ""))).toEqual([
        "repoURL: https://github.com/me/aiplat.git",
        "targetRevision: feature/fork",
      ]);
      expect(text).toContain(
        "# This repository (aiplat init rewrites repoURL and targetRevision to the fork's own).",
      );
    }
    // Helm chart sources keep their chart repository and pinned version.
    const gpu = readFileSync(join(repo.dir, "argocd", "gpu-operator.yaml"), "utf8");
    expect(gpu).toContain("- repoURL: https://helm.ngc.nvidia.com/nvidia");
    expect(gpu).toMatch(/chart: gpu-operator\n\s+targetRevision: v[0-9.]+/);
  });

  it("writes nothing when the files already point at the target", async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["argocd"] });
    const target = { repoUrl: "https://github.com/me/aiplat.git", revision: "main" };
    await rewriteArgoRepo(repo.dir, target);
    const path = join(repo.dir, "argocd", "workloads.yaml");
    const stamp = statSync(path).mtimeMs;
    const again = await rewriteArgoRepo(repo.dir, target);
    expect(again.every((c) => !c.changed)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(stamp);
  });

  it("handles several documents and flow mappings, and leaves non-Application documents alone", () => {
    const text = [
      "# header comment",
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "spec:",
      "  source:",
      `    repoURL: ${PLACEHOLDER} # inline comment`,
      "    targetRevision: main",
      "---",
      "kind: ConfigMap",
      "data:",
      "  repoURL: keep-me",
      "---",
      "kind: Application",
      "spec:",
      `  source: { repoURL: ${PLACEHOLDER}, targetRevision: main, path: platform }`,
      "",
    ].join("\n");
    const out = rewriteApplicationsText(text, { repoUrl: "https://h.example/r.git", revision: "dev" });
    expect(out.sources).toBe(2);
    expect(out.text).toContain("# header comment");
    expect(out.text).toContain("repoURL: https://h.example/r.git # inline comment");
    expect(out.text).toContain("repoURL: keep-me");
    expect(out.text).toContain("{ repoURL: https://h.example/r.git, targetRevision: dev, path: platform }");
  });

  it("refuses a file that is not valid YAML with the file's name (exit 3)", () => {
    expect(() =>
      rewriteApplicationsText(
        "kind: Application\nspec: [\n",
        { repoUrl: "x", revision: "y" },
        "argocd/bad.yaml",
      ),
    ).toThrow(/argocd\/bad.yaml is not valid YAML/);
  });
});
