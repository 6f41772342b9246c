import { describe, expect, it } from "vitest";
import { type FormatStyle, formatAge, formatStatus, table } from "../../src/core/status/format.js";
import type { PlatformStatus } from "../../src/core/status/types.js";
import { unreadSections } from "../../src/core/status/types.js";

const NOW = Date.parse("2026-12-03T12:00:00Z");
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

/** Marks every styled piece, so a test sees which words are bold, warnings or failures. */
const marked: FormatStyle = {
  warn: (t) => `<warn>${t}</warn>`,
  fail: (t) => `<fail>${t}</fail>`,
  bold: (t) => `<b>${t}</b>`,
};

const unavailable = { ok: false as const, reason: "not read in this test" };
const allUnavailable: PlatformStatus = {
  infrastructure: unavailable,
  cluster: unavailable,
  gitops: unavailable,
  endpoints: unavailable,
  gpuNodes: unavailable,
  litellm: unavailable,
};

/** The lines of one section's block, without its title and the blank line after it. */
function block(text: string, title: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(title);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe("status: ages", () => {
  it("shows seconds below two minutes, minutes below two hours, hours below two days, then days", () => {
    expect(formatAge(undefined, NOW)).toBe("-");
    expect(formatAge("", NOW)).toBe("-");
    expect(formatAge(ago(0), NOW)).toBe("0s");
    expect(formatAge(ago(119), NOW)).toBe("119s");
    expect(formatAge(ago(120), NOW)).toBe("2m");
    expect(formatAge(ago(179), NOW)).toBe("2m");
    expect(formatAge(ago(7199), NOW)).toBe("119m");
    expect(formatAge(ago(7200), NOW)).toBe("2h");
    expect(formatAge(ago(172_799), NOW)).toBe("47h");
    expect(formatAge(ago(172_800), NOW)).toBe("2d");
    expect(formatAge(ago(10 * 86_400 + 86_399), NOW)).toBe("10d");
  });

  it("rounds part-seconds down and never shows a negative age (a clock ahead of ours)", () => {
    expect(formatAge(new Date(NOW - 1999).toISOString(), NOW)).toBe("1s");
    expect(formatAge(ago(-30), NOW)).toBe("0s");
  });
});

describe("status: tables", () => {
  it("pads each column to its widest cell, two spaces apart, without trailing blanks", () => {
    expect(
      table(
        ["NAME", "STATE", "AGE"],
        [
          ["gemma-4b", "ACTIVE", "3h"],
          ["qwen", "PENDING", "12m"],
        ],
      ),
    ).toEqual(["NAME      STATE    AGE", "gemma-4b  ACTIVE   3h", "qwen      PENDING  12m"]);
  });

  it("takes a header wider than every cell, a row with fewer cells and one with more", () => {
    expect(table(["LONGHEADER", "B"], [["x"], ["y", "z", "extra"]])).toEqual([
      "LONGHEADER  B",
      "x",
      "y           z  extra",
    ]);
    expect(table(["A"], [])).toEqual(["A"]);
  });
});

describe("status: the screen", () => {
  it("shows every section under its title, in order, and why a section could not be read", () => {
    expect(formatStatus(allUnavailable, NOW).split("\n")).toEqual([
      "Infrastructure",
      "  unavailable: not read in this test",
      "",
      "Cluster",
      "  unavailable: not read in this test",
      "",
      "GitOps",
      "  unavailable: not read in this test",
      "",
      "Endpoints",
      "  unavailable: not read in this test",
      "",
      "GPU nodes",
      "  unavailable: not read in this test",
      "",
      "LiteLLM",
      "  unavailable: not read in this test",
    ]);
    expect(formatStatus(allUnavailable, NOW, marked).split("\n").slice(0, 3)).toEqual([
      "<b>Infrastructure</b>",
      "  <fail>unavailable</fail>: not read in this test",
      "",
    ]);
    expect(unreadSections(allUnavailable)).toEqual([
      "infrastructure",
      "cluster",
      "gitops",
      "endpoints",
      "gpuNodes",
      "litellm",
    ]);
  });

  it("lists the stages with switch, state and age, and warns about one switched off that still holds resources", () => {
    const status: PlatformStatus = {
      ...allUnavailable,
      infrastructure: {
        ok: true,
        stages: [
          { stage: "10.network", enabled: true, status: "done", at: ago(90 * 60), holdsResources: false },
          { stage: "20.dns", enabled: false, status: "done", at: ago(3 * 86_400), holdsResources: true },
          { stage: "30.eks", enabled: true, status: "failed", at: ago(30), holdsResources: false },
          { stage: "40.addons", enabled: true, status: "never", holdsResources: false },
        ],
      },
    };
    expect(block(formatStatus(status, NOW, marked), "<b>Infrastructure</b>")).toEqual([
      "  STAGE       SWITCH  STATE    WHEN",
      "  10.network  on      applied  90m ago",
      "  20.dns      off     applied  3d ago",
      "  30.eks      on      failed   30s ago",
      "  40.addons   on      never    -",
      "  <warn>! 20.dns is switched off but was applied: it still holds resources.</warn>",
    ]);
    expect(unreadSections(status)).toEqual(["cluster", "gitops", "endpoints", "gpuNodes", "litellm"]);
  });

  it("shows the cluster, its capabilities and the ArgoCD address, with ? for what EKS did not say", () => {
    const full: PlatformStatus = {
      ...allUnavailable,
      cluster: {
        ok: true,
        name: "ml-prod",
        region: "eu-central-1",
        version: "1.33",
        status: "ACTIVE",
        capabilities: [
          { type: "ARGOCD", name: "argocd", status: "ACTIVE" },
          { type: "KRO", name: "kro", status: "CREATING" },
        ],
        argocdUrl: "https://abc.argocd.eks.eu-central-1.amazonaws.com",
      },
    };
    expect(block(formatStatus(full, NOW), "Cluster")).toEqual([
      "  ml-prod (eu-central-1): EKS 1.33, ACTIVE",
      "    capability ARGOCD argocd: ACTIVE",
      "    capability KRO kro: CREATING",
      "    ArgoCD: https://abc.argocd.eks.eu-central-1.amazonaws.com",
    ]);
    const bare: PlatformStatus = {
      ...allUnavailable,
      cluster: { ok: true, name: "ml-dev", region: "us-east-1", capabilities: [] },
    };
    expect(block(formatStatus(bare, NOW), "Cluster")).toEqual([
      "  ml-dev (us-east-1): EKS ?, ?",
      "    no capabilities",
    ]);
  });

  it("shows each Application with short commits, how it stands against its branch, and its message", () => {
    const status: PlatformStatus = {
      ...allUnavailable,
      gitops: {
        ok: true,
        applications: [
          {
            app: "addons",
            sync: "Synced",
            health: "Healthy",
            revision: "a".repeat(40),
            branch: "main",
            head: "a".repeat(40),
            behind: false,
          },
          {
            app: "models",
            sync: "OutOfSync",
            health: "Degraded",
            revision: "0123456789abcdef0123456789abcdef01234567",
            branch: "main",
            head: "b".repeat(40),
            behind: true,
            message: "sync failed",
          },
          { app: "vllm", sync: "Synced", health: "Healthy", revision: "v25.10.1" },
          { app: "odd", sync: "Unknown", health: "Unknown", revision: "c".repeat(41) },
          { app: "new", sync: "Unknown", health: "Missing" },
        ],
      },
    };
    expect(block(formatStatus(status, NOW), "GitOps")).toEqual([
      "  APP     SYNC       HEALTH    REVISION                                   BRANCH                 MESSAGE",
      "  addons  Synced     Healthy   aaaaaaa                                    at head",
      "  models  OutOfSync  Degraded  0123456                                    behind main (bbbbbbb)  sync failed",
      "  vllm    Synced     Healthy   v25.10.1                                   -",
      `  odd     Unknown    Unknown   ${"c".repeat(41)}  -`,
      "  new     Unknown    Missing   -                                          -",
    ]);
  });

  it("says how to install the Applications when there are none", () => {
    const none = (next?: string): PlatformStatus => ({
      ...allUnavailable,
      gitops: { ok: true, applications: [], next },
    });
    expect(block(formatStatus(none(), NOW), "GitOps")).toEqual([
      "  No Applications. Install them: aiplat bootstrap",
    ]);
    expect(block(formatStatus(none("aiplat bootstrap --env prod"), NOW), "GitOps")).toEqual([
      "  No Applications. Install them: aiplat bootstrap --env prod",
    ]);
  });

  it("shows each endpoint's model, state, replicas, GPUs, LiteLLM registration, requests and age, then why one is not ready", () => {
    const status: PlatformStatus = {
      ...allUnavailable,
      endpoints: {
        ok: true,
        endpoints: [
          {
            name: "gemma",
            model: "google/gemma-3-4b-it",
            state: "ACTIVE",
            ready: true,
            replicas: { current: 1, min: 1, max: 4 },
            gpus: 1,
            registered: true,
            requests: 42,
            createdAt: ago(3 * 3600),
          },
          {
            name: "qwen",
            state: "PENDING",
            ready: false,
            replicas: { current: 0, min: 2, max: 8 },
            gpus: 4,
            message: "waiting for rayservice",
          },
          {
            name: "old",
            model: "m",
            state: "ACTIVE",
            ready: true,
            replicas: { current: 2, min: 1, max: 2 },
            gpus: 2,
            registered: false,
            requests: 0,
            createdAt: ago(45),
          },
        ],
      },
    };
    expect(block(formatStatus(status, NOW), "Endpoints")).toEqual([
      "  NAME   MODEL                 STATE    READY  REPLICAS  GPUS  LITELLM  REQUESTS  AGE",
      "  gemma  google/gemma-3-4b-it  ACTIVE   yes    1/1-4     1     yes      42        3h",
      "  qwen   -                     PENDING  no     0/2-8     4     ?        -         -",
      "  old    m                     ACTIVE   yes    2/1-2     2     no       0         45s",
      "    qwen: waiting for rayservice",
    ]);
  });

  it("says how to deploy a first endpoint when there are none", () => {
    const none = (next?: string): PlatformStatus => ({
      ...allUnavailable,
      endpoints: { ok: true, endpoints: [], next },
    });
    expect(block(formatStatus(none(), NOW), "Endpoints")).toEqual([
      "  No endpoints. Deploy one: aiplat deploy-model gemma-4b",
    ]);
    expect(block(formatStatus(none("aiplat deploy-model gemma-4b --env prod"), NOW), "Endpoints")).toEqual([
      "  No endpoints. Deploy one: aiplat deploy-model gemma-4b --env prod",
    ]);
  });

  it("shows the GPU nodes with what they serve and cost, the totals, idle GPU spend and unpriced types", () => {
    const status: PlatformStatus = {
      ...allUnavailable,
      gpuNodes: {
        ok: true,
        nodes: [
          {
            name: "ip-10-0-1-5",
            instanceType: "g6.xlarge",
            capacityType: "on-demand",
            createdAt: ago(45),
            gpus: 1,
            serves: ["gemma", "qwen"],
            idle: false,
            hourlyUsd: 0.8,
          },
          {
            name: "ip-10-0-2-9",
            instanceType: "x9.huge",
            capacityType: "spot",
            gpus: 1,
            serves: [],
            idle: true,
          },
        ],
        gpuHourlyUsd: 1.81,
        idleGpuHourlyUsd: 1.01,
        clusterHourlyUsd: 2.5,
        unpriced: ["x9.huge", "z1.odd"],
        priceNote: "approximate on-demand prices, us-east-1, 2025-11",
      },
    };
    expect(block(formatStatus(status, NOW, marked), "<b>GPU nodes</b>")).toEqual([
      "  NODE         TYPE       CAPACITY   AGE  SERVES      PRICE",
      "  ip-10-0-1-5  g6.xlarge  on-demand  45s  gemma,qwen  $0.80/h",
      "  ip-10-0-2-9  x9.huge    spot       -    idle        ?",
      "  GPU $1.81/h · cluster $2.50/h (approximate on-demand prices, us-east-1, 2025-11)",
      "  <warn>! $1.01/h of GPU is idle.</warn>",
      "    not priced: x9.huge, z1.odd",
    ]);
  });

  it("says when there are no GPU nodes, and leaves out the idle and unpriced lines when there is nothing to say", () => {
    const section = (idle: number, unpriced: string[]): PlatformStatus => ({
      ...allUnavailable,
      gpuNodes: {
        ok: true,
        nodes: [],
        gpuHourlyUsd: 0,
        idleGpuHourlyUsd: idle,
        clusterHourlyUsd: 0.1,
        unpriced,
        priceNote: "approximate",
      },
    });
    expect(block(formatStatus(section(0, []), NOW), "GPU nodes")).toEqual([
      "  No GPU nodes.",
      "  GPU $0.00/h · cluster $0.10/h (approximate)",
    ]);
    expect(block(formatStatus(section(0.01, ["m9.large"]), NOW), "GPU nodes")).toEqual([
      "  No GPU nodes.",
      "  GPU $0.00/h · cluster $0.10/h (approximate)",
      "  ! $0.01/h of GPU is idle.",
      "    not priced: m9.large",
    ]);
  });

  it("shows LiteLLM's health, database and models, and how to remove a model no endpoint backs", () => {
    const status: PlatformStatus = {
      ...allUnavailable,
      litellm: {
        ok: true,
        healthy: true,
        database: "connected",
        models: [
          { name: "gemma", backed: true },
          { name: "old", backed: false },
        ],
        orphans: [{ name: "old", fix: "aiplat undeploy-model old" }],
      },
    };
    expect(block(formatStatus(status, NOW, marked), "<b>LiteLLM</b>")).toEqual([
      "  healthy, database connected; 2 model(s): gemma, old",
      "  <warn>! old is registered but no endpoint backs it. Remove it: aiplat undeploy-model old</warn>",
    ]);
    const down: PlatformStatus = {
      ...allUnavailable,
      litellm: { ok: true, healthy: false, models: [], orphans: [] },
    };
    expect(block(formatStatus(down, NOW, marked), "<b>LiteLLM</b>")).toEqual([
      "  <fail>unhealthy</fail>, database unknown; 0 model(s): none",
    ]);
  });
});
