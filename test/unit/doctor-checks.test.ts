import { describe, expect, it } from "vitest";
import {
  checkCredentials,
  checkNode,
  checkTerraform,
  compareVersions,
} from "../../src/core/doctor/checks.js";
import { findPlaceholders } from "../../src/core/doctor/placeholders.js";

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
