import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  FULL_FLAGS,
  makeInitRepo,
  mockDirectory,
  readIf,
  resetAws,
  runInit,
  tfvarsFile,
} from "../fixtures/init/harness.js";

// Issue 18, points 1, 5 and 8: init checks the repository first, reuses a kept Docker Hub token,
// and refuses settings that cannot work.
afterEach(() => resetAws());

const workloads = (dir: string) => readIf(join(dir, "argocd", "workloads.yaml")) ?? "";
const withFlag = (flag: string, value: string) => {
  const i = FULL_FLAGS.indexOf(flag);
  return i < 0 ? [...FULL_FLAGS, flag, value] : FULL_FLAGS.map((f, j) => (j === i + 1 ? value : f));
};
const without = (flag: string) => {
  const i = FULL_FLAGS.indexOf(flag);
  return [...FULL_FLAGS.slice(0, i), ...FULL_FLAGS.slice(i + 2)];
};

describe("init and the repository ArgoCD syncs from (point 1)", () => {
  it("asks for the URL before any other question when origin is a local path, and a re-run keeps it", async () => {
    const repo = makeInitRepo({ remote: "/srv/git/aiplat.git" });
    mockDirectory();
    // On a terminal, with --region left to ask: the repository question comes first.
    const asked = await runInit(repo, without("--region"), {
      answers: ["git@github.com:me/fork.git", "eu-west-1", false, "", ""],
    });
    expect(asked.exitCode, asked.stderr).toBe(0);
    expect(asked.asked.map((q) => q.flag).slice(0, 2)).toEqual(["--repo-url", "--region"]);
    expect(asked.stderr).toContain('the origin remote "/srv/git/aiplat.git" is not a URL ArgoCD can clone');
    expect(workloads(repo.dir)).toContain("repoURL: https://github.com/me/fork.git");
    expect(asked.stdout).toContain("is written as https://github.com/me/fork.git");

    // Without a terminal and without --repo-url: the URL argocd/ holds is taken, not demanded again.
    const before = workloads(repo.dir);
    const rerun = await runInit(repo, ["--json", ...FULL_FLAGS]);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.json()).toMatchObject({ answers: { repoUrl: "https://github.com/me/fork.git" } });
    expect(workloads(repo.dir)).toBe(before);
  });

  it("without a terminal and nothing to go on, exits 3 naming --repo-url and writes nothing", async () => {
    const repo = makeInitRepo({ remote: "/srv/git/aiplat.git" });
    const run = await runInit(repo, FULL_FLAGS);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("--repo-url");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
  });
});

describe("init refuses settings that cannot work (point 8)", () => {
  it("a Kubernetes version EKS does not offer: from the EKS API when it answers, the built-in list otherwise", async () => {
    const offline = makeInitRepo();
    mockDirectory();
    const old = await runInit(offline, withFlag("--kubernetes-version", "1.20"));
    expect(old.exitCode).toBe(2);
    expect(old.stderr).toContain('--kubernetes-version "1.20": EKS creates clusters with 1.35, 1.34');
    expect(old.stderr).toContain("built-in list");
    expect(readIf(tfvarsFile(offline))).toBeUndefined();

    resetAws();
    mockDirectory({ versions: ["1.36", "1.35", "1.34", "1.33"] });
    const online = makeInitRepo();
    const refused = await runInit(online, withFlag("--kubernetes-version", "1.20"));
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("1.36, 1.35, 1.34, 1.33 only (DescribeClusterVersions)");
    // The API decides when it answers: 1.32 is in the built-in list but not offered here.
    const dropped = await runInit(online, withFlag("--kubernetes-version", "1.32"));
    expect(dropped.exitCode).toBe(2);
    expect(dropped.stderr).toContain("(DescribeClusterVersions)");
    // A version newer than the built-in list is fine when EKS offers it.
    const newer = await runInit(online, withFlag("--kubernetes-version", "1.36"));
    expect(newer.exitCode, newer.stderr).toBe(0);
    expect(readIf(tfvarsFile(online))).toMatch(/kubernetes_version\s*=\s*"1\.36"/);
  });

  it("gitops without what its pods need, naming the dependencies", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const run = await runInit(repo, withFlag("--capabilities", "none,gitops"));
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("gitops needs networking, kube_proxy, coredns");
    expect(run.stderr).toContain("turn on networking, kube_proxy, coredns");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    const enough = await runInit(
      repo,
      withFlag("--capabilities", "none,gitops,networking,kube_proxy,coredns"),
    );
    expect(enough.exitCode, enough.stderr).toBe(0);
  });

  it("an SSH --repo-url is written in its https form, and says so", async () => {
    const repo = makeInitRepo({ remote: null });
    mockDirectory();
    const run = await runInit(repo, [
      ...FULL_FLAGS,
      "--repo-url",
      "ssh://git@gitlab.com:2222/me/aiplat",
      "--revision",
      "main",
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(workloads(repo.dir)).toContain("repoURL: https://gitlab.com/me/aiplat.git");
    expect(run.stdout).toContain(
      "--repo-url ssh://git@gitlab.com:2222/me/aiplat is written as https://gitlab.com/me/aiplat.git",
    );
  });

  it("a --revision origin does not have, naming its branches; one it has passes", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    repo.git("switch", "-q", "-c", "local-only");
    const run = await runInit(repo, [...FULL_FLAGS, "--revision", "local-only"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--revision "local-only": is not a branch, tag or commit of origin');
    expect(run.stderr).toContain("branches there: main");
    expect(run.stderr).toContain("git push origin local-only");
    expect(readIf(tfvarsFile(repo))).toBeUndefined();
    // makeInitRepo commits .gitignore after the push: origin/main is the commit origin holds.
    const head = repo.git("rev-parse", "origin/main");
    for (const revision of ["main", head.slice(0, 12)]) {
      const ok = await runInit(repo, [...FULL_FLAGS, "--revision", revision]);
      expect(ok.exitCode, ok.stderr).toBe(0);
    }
  });
});

describe("init re-run with a Docker Hub user (point 5)", () => {
  it("reuses the token the secret tfvars keeps, and never suggests --yes for a token", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const answers = join(repo.dir, "answers.yaml");
    writeFileSync(answers, "docker-hub-username: dockerme\n");
    const token = "dckr_pat_keptFromTheFirstRun";
    const first = await runInit(repo, [...FULL_FLAGS, "--answers", answers], {
      env: { DOCKER_HUB_TOKEN: token },
    });
    expect(first.exitCode, first.stderr).toBe(0);
    const secret = join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars");
    const written = readFileSync(secret, "utf8");
    const mtime = statSync(secret).mtimeMs;

    const again = await runInit(repo, ["--json", ...FULL_FLAGS, "--answers", answers]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ answers: { dockerHubCredentials: "kept" } });
    expect(readFileSync(secret, "utf8")).toBe(written);
    expect(statSync(secret).mtimeMs).toBe(mtime);
    expect(again.stdout + again.stderr).not.toContain(token);

    // Another user's token is not in the file: asked for, and --yes (which cannot help) not suggested.
    writeFileSync(answers, "docker-hub-username: someoneelse\n");
    const other = await runInit(repo, [...FULL_FLAGS, "--answers", answers]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain("DOCKER_HUB_TOKEN");
    expect(other.stderr).not.toContain("--yes");
    // Where --yes does fill the gap (a value with a default), the hint still says so.
    const noRegion = await runInit(makeInitRepo(), without("--region"));
    expect(noRegion.exitCode).toBe(2);
    expect(noRegion.stderr).toContain("--yes takes the defaults");
  });
});

describe("init and a new Docker Hub token", () => {
  // The token is a write-only argument in Terraform: Secrets Manager receives it only when
  // docker_hub_credentials_version changes, so every new token must come with a new number.
  it("bumps docker_hub_credentials_version for a new token or user, and only then", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const answers = join(repo.dir, "answers.yaml");
    const secret = join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars");
    const initWith = async (username: string, token: string) => {
      writeFileSync(answers, `docker-hub-username: ${username}\n`);
      const run = await runInit(repo, [...FULL_FLAGS, "--answers", answers], {
        env: { DOCKER_HUB_TOKEN: token },
      });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(token);
      return readFileSync(secret, "utf8");
    };
    const setting = (text: string) => /^docker_hub_credentials_version = (\d+)$/m.exec(text)?.[1];

    const first = await initWith("dockerme", "dckr_pat_firstTokenOfDockerme");
    expect(setting(first)).toBe("1");
    expect(first).toContain('docker_hub_access_token = "dckr_pat_firstTokenOfDockerme"');
    // The same token again: nothing to send, the file stays as it was.
    expect(await initWith("dockerme", "dckr_pat_firstTokenOfDockerme")).toBe(first);
    const rotated = await initWith("dockerme", "dckr_pat_rotatedTokenOfDockerme");
    expect(setting(rotated)).toBe("2");
    expect(rotated).toContain('docker_hub_access_token = "dckr_pat_rotatedTokenOfDockerme"');
    expect(setting(await initWith("someoneelse", "dckr_pat_tokenOfSomeoneElse"))).toBe("3");
  });

  it("a secret file written before the version existed counts as version 1", async () => {
    const repo = makeInitRepo();
    mockDirectory();
    const secret = join(repo.dir, "terraform/00.global/vars/dev.secret.tfvars");
    writeFileSync(
      secret,
      'docker_hub_username = "dockerme"\ndocker_hub_access_token = "dckr_pat_beforeVersions"\n',
    );
    const answers = join(repo.dir, "answers.yaml");
    writeFileSync(answers, "docker-hub-username: dockerme\n");
    const run = await runInit(repo, [...FULL_FLAGS, "--answers", answers], {
      env: { DOCKER_HUB_TOKEN: "dckr_pat_afterVersions" },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(secret, "utf8")).toMatch(/^docker_hub_credentials_version = 2$/m);
  });
});
