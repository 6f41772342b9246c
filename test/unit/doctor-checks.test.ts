import { describe, expect, it } from "vitest";
import {
  checkCredentials,
  checkNode,
  checkTerraform,
  compareVersions,
  fail,
  ok,
  skip,
  warn,
} from "../../src/core/doctor/checks.js";
import { findPlaceholders, isPlaceholder } from "../../src/core/doctor/placeholders.js";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const who = { account: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/Admin/me" };
const relogin = "aws sso login --profile platform";

describe("doctor checks (pure)", () => {
  it("compares versions numerically", () => {
    expect(compareVersions("1.10.0", "1.9.9")).toBe(1);
    expect(compareVersions("v20.19.0", "20.19")).toBe(0);
    expect(compareVersions("1.9.8", "1.10.0")).toBe(-1);
  });

  it("needs Node 20.19 or newer", () => {
    expect(checkNode("20.20.2").status).toBe("ok");
    expect(checkNode("20.18.1")).toMatchObject({ status: "fail", fix: expect.stringContaining("20.19") });
  });

  it("needs the Terraform the stages require (1.11: S3-native locking, write-only secrets)", () => {
    expect(checkTerraform("1.11.4").status).toBe("ok");
    expect(checkTerraform("1.10.5")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("1.11"),
    });
    expect(checkTerraform("1.9.8")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("1.11"),
    });
    expect(checkTerraform(undefined)).toMatchObject({ status: "fail", detail: "not found on PATH" });
  });

  it("warns when credentials last less than an hour, naming the re-login command", () => {
    const result = checkCredentials({
      identity: who,
      expiresAt: new Date(NOW + 25 * 60_000),
      now: NOW,
      relogin,
    });
    expect(result).toMatchObject({ status: "warn", fix: expect.stringContaining(relogin) });
    expect(result.detail).toContain("25 more minutes");
  });

  it("accepts credentials valid for hours and long-lived keys", () => {
    expect(
      checkCredentials({ identity: who, expiresAt: new Date(NOW + 5 * 3600_000), now: NOW, relogin }).status,
    ).toBe("ok");
    expect(checkCredentials({ identity: who, now: NOW, relogin }).detail).toContain("long-lived");
  });

  it("fails on expired or missing credentials", () => {
    expect(
      checkCredentials({ identity: who, expiresAt: new Date(NOW - 1000), now: NOW, relogin }),
    ).toMatchObject({
      status: "fail",
      fix: relogin,
    });
    expect(checkCredentials({ error: "Could not load credentials", now: NOW, relogin }).status).toBe("fail");
  });

  it("lists unfilled placeholders by key path", () => {
    const vars = {
      region: "eu-central-1",
      cluster_config: {
        capabilities_config: {
          argocd_idc_instance_arn: "arn:aws:sso:::instance/ssoins-XXXXXXXXXX",
          argocd_rbac_mappings: [
            { role: "ADMIN", identities: [{ id: "your-sso-user-id", type: "SSO_USER" }] },
          ],
        },
      },
    };
    expect(findPlaceholders(vars)).toEqual([
      "cluster_config.capabilities_config.argocd_idc_instance_arn",
      "cluster_config.capabilities_config.argocd_rbac_mappings[0].identities[0].id",
    ]);
    expect(findPlaceholders({ region: "eu-central-1", tags: { team: "ml" } })).toEqual([]);
  });
});

describe("doctor: results", () => {
  it("carries a fix only for warn and fail", () => {
    expect(ok("node", "Node.js", "v22.1.0")).toEqual({
      id: "node",
      title: "Node.js",
      status: "ok",
      detail: "v22.1.0",
    });
    expect(skip("gpu-quota", "GPU quota", "no AWS credentials")).toEqual({
      id: "gpu-quota",
      title: "GPU quota",
      status: "skip",
      detail: "no AWS credentials",
    });
    expect(warn("a", "A", "d", "run x")).toEqual({
      id: "a",
      title: "A",
      status: "warn",
      detail: "d",
      fix: "run x",
    });
    expect(fail("a", "A", "d", "run y")).toEqual({
      id: "a",
      title: "A",
      status: "fail",
      detail: "d",
      fix: "run y",
    });
  });
});

describe("doctor: versions", () => {
  it("drops only a leading v, on either side; a v inside is a word and counts as 0", () => {
    expect(compareVersions("20.19.0", "v20.19.0")).toBe(0);
    expect(compareVersions("v1.11.0", "1.11.0")).toBe(0);
    expect(compareVersions("1.2.0-v8", "1.2.0-1")).toBe(-1);
    expect(compareVersions("1.2.0-1", "1.2.0-v8")).toBe(1);
  });

  it("compares every part, counting a missing one as 0", () => {
    expect(compareVersions("1.0.1", "1.0")).toBe(1);
    expect(compareVersions("1.0", "1.0.1")).toBe(-1);
    expect(compareVersions("1.0.0.0", "1")).toBe(0);
    expect(compareVersions("1.11.0+ent", "1.11.0")).toBe(0);
    expect(compareVersions("2.0.0", "10.0.0")).toBe(-1);
  });

  it("accepts exactly the minimum Node.js and shows the version as vX.Y.Z", () => {
    expect(checkNode("20.19.0")).toEqual({ id: "node", title: "Node.js", status: "ok", detail: "v20.19.0" });
    expect(checkNode("v22.1.0")).toEqual({ id: "node", title: "Node.js", status: "ok", detail: "v22.1.0" });
    expect(checkNode("24.0.0-v8-canary2025")).toEqual({
      id: "node",
      title: "Node.js",
      status: "ok",
      detail: "v24.0.0-v8-canary2025",
    });
    expect(checkNode("v20.18.3")).toEqual({
      id: "node",
      title: "Node.js",
      status: "fail",
      detail: "v20.18.3 is older than 20.19.0",
      fix: "Install Node.js 20.19.0 or newer.",
    });
    expect(checkNode("18.0.0-v8-canary").detail).toBe("v18.0.0-v8-canary is older than 20.19.0");
  });

  it("accepts exactly the minimum Terraform and says what an older one lacks", () => {
    expect(checkTerraform("1.11.0")).toEqual({
      id: "terraform",
      title: "Terraform",
      status: "ok",
      detail: "v1.11.0",
    });
    expect(checkTerraform("1.10.5")).toEqual({
      id: "terraform",
      title: "Terraform",
      status: "fail",
      detail:
        "v1.10.5 is older than 1.11.0 (the stages need ≥ 1.11: S3-native locking and write-only secrets)",
      fix: "Install Terraform 1.11.0 or newer.",
    });
    expect(checkTerraform(undefined)).toEqual({
      id: "terraform",
      title: "Terraform",
      status: "fail",
      detail: "not found on PATH",
      fix: "Install Terraform 1.11.0 or newer.",
    });
  });
});

describe("doctor: credentials", () => {
  const at = (minutes: number, seconds = 0) => new Date(NOW + minutes * 60_000 + seconds * 1000);
  const check = (expiresAt?: Date) => checkCredentials({ identity: who, expiresAt, now: NOW, relogin });
  const id = "aws-credentials";
  const title = "AWS credentials";
  const account = "account 123456789012 as arn:aws:sts::123456789012:assumed-role/Admin/me";

  it("names the account and role, and long-lived keys as such", () => {
    expect(check()).toEqual({ id, title, status: "ok", detail: `${account} (long-lived keys)` });
  });

  it("fails with the reason, or 'no credentials found', and the re-login command", () => {
    expect(checkCredentials({ error: "Could not load credentials", now: NOW, relogin })).toEqual({
      id,
      title,
      status: "fail",
      detail: "Could not load credentials",
      fix: relogin,
    });
    expect(checkCredentials({ now: NOW, relogin })).toEqual({
      id,
      title,
      status: "fail",
      detail: "no credentials found",
      fix: relogin,
    });
  });

  it("counts credentials with less than a whole minute left as expired", () => {
    const expired = { id, title, status: "fail", detail: `${account}: expired`, fix: relogin };
    expect(check(at(0, 59))).toEqual(expired);
    expect(check(at(0))).toEqual(expired);
    expect(check(at(1))).toEqual({
      id,
      title,
      status: "warn",
      detail: `${account}: valid for 1 more minutes, less than a long run needs`,
      fix: `Renew before a long command: ${relogin}`,
    });
  });

  it("warns below 60 minutes and shows minutes up to two hours, then whole hours", () => {
    expect(check(at(59, 59))).toMatchObject({
      status: "warn",
      detail: `${account}: valid for 59 more minutes, less than a long run needs`,
    });
    expect(check(at(60))).toEqual({ id, title, status: "ok", detail: `${account}, valid for 60 min` });
    expect(check(at(119, 59)).detail).toBe(`${account}, valid for 119 min`);
    expect(check(at(120)).detail).toBe(`${account}, valid for 2 h`);
    expect(check(at(179)).detail).toBe(`${account}, valid for 2 h`);
    expect(check(at(12 * 60)).detail).toBe(`${account}, valid for 12 h`);
  });
});

describe("doctor: placeholders", () => {
  it("recognises the shapes example.tfvars and the seed use", () => {
    for (const value of [
      "ssoins-XXXXXXXXXX",
      "dckr_pat_XXXXXX",
      "your-sso-user-id",
      "Your_dockerhub_username",
      "REPLACE_ME",
      "replaceme",
      "REPLACE ME",
      "change-me",
      "CHANGEME",
      "Change_Me",
      "TODO: fill in",
      "<account id>",
      "<x>",
      "https://github.com/example.invalid/platform.git",
    ]) {
      expect(isPlaceholder(value), value).toBe(true);
    }
  });

  it("leaves real values alone", () => {
    for (const value of [
      "XXXXX-short",
      "g5.XLarge",
      "eu-central-1",
      "not-your-id",
      "yourself",
      "<>",
      "<ID1>",
      "<1234>",
      "https://github.com/acme/platform.git",
      "example.com",
    ]) {
      expect(isPlaceholder(value), value).toBe(false);
    }
  });

  it("walks lists and maps, and finds nothing in numbers, booleans or null", () => {
    expect(findPlaceholders("your-id")).toEqual([""]);
    expect(findPlaceholders(["ok", "TODO"])).toEqual(["[1]"]);
    expect(findPlaceholders({ a: null, b: 3, c: true, d: [{ e: "CHANGE_ME" }] })).toEqual(["d[0].e"]);
    expect(findPlaceholders(null)).toEqual([]);
    expect(findPlaceholders(undefined)).toEqual([]);
    expect(findPlaceholders(42)).toEqual([]);
  });
});
