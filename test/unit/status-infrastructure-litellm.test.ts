import { describe, expect, it } from "vitest";
import type { StagePlanEntry } from "../../src/core/stages/stages.js";
import { buildInfrastructure } from "../../src/core/status/infrastructure.js";
import { buildLitellm } from "../../src/core/status/litellm.js";
import {
  EKS_CONTROL_PLANE_HOURLY_USD,
  hourlyPrice,
  STATUS_PRICE_NOTE,
} from "../../src/core/status/prices.js";

const stage = (path: string, enabled: boolean): StagePlanEntry => ({
  path,
  gate: enabled ? undefined : ["features", "dns"],
  backend: "s3",
  enabled,
});

describe("status: infrastructure rows", () => {
  it("shows each stage's last `up` record, never for an untouched one, and flags a switched-off stage that was applied", () => {
    const section = buildInfrastructure(
      [
        stage("10.network", true),
        stage("20.dns", false),
        stage("25.mail", false),
        stage("26.cdn", false),
        stage("30.eks", true),
      ],
      {
        version: 1,
        env: "dev",
        stages: {
          "10.network": { status: "done", at: "2026-12-03T09:00:00Z" },
          "20.dns": { status: "done", at: "2026-12-01T09:00:00Z" },
          "25.mail": { status: "failed", at: "2026-12-02T09:00:00Z" },
        },
      },
    );
    expect(section).toEqual({
      stages: [
        {
          stage: "10.network",
          enabled: true,
          status: "done",
          at: "2026-12-03T09:00:00Z",
          holdsResources: false,
        },
        { stage: "20.dns", enabled: false, status: "done", at: "2026-12-01T09:00:00Z", holdsResources: true },
        {
          stage: "25.mail",
          enabled: false,
          status: "failed",
          at: "2026-12-02T09:00:00Z",
          holdsResources: false,
        },
        { stage: "26.cdn", enabled: false, status: "never", holdsResources: false },
        { stage: "30.eks", enabled: true, status: "never", holdsResources: false },
      ],
    });
  });
});

describe("status: LiteLLM models", () => {
  const fix = (model: string) => `aiplat undeploy-model ${model} --env prod`;

  it("lists each registered model once, sorted, and gives the command that removes one no endpoint backs", () => {
    expect(
      buildLitellm(
        { healthy: true, database: "connected" },
        ["qwen", "old", "gemma", "qwen"],
        ["gemma", "qwen"],
        fix,
      ),
    ).toEqual({
      healthy: true,
      database: "connected",
      models: [
        { name: "gemma", backed: true },
        { name: "old", backed: false },
        { name: "qwen", backed: true },
      ],
      orphans: [{ name: "old", fix: "aiplat undeploy-model old --env prod" }],
    });
  });

  it("calls no model a leftover when the endpoints could not be listed", () => {
    expect(buildLitellm({ healthy: false }, ["b", "a"], undefined, fix)).toEqual({
      healthy: false,
      models: [
        { name: "a", backed: true },
        { name: "b", backed: true },
      ],
      orphans: [],
    });
  });
});

describe("status: prices", () => {
  it("prices GPU types from the fit table and the system node types the cluster stage allows", () => {
    expect(hourlyPrice("g6.xlarge")).toBe(0.8);
    expect(hourlyPrice("g5.xlarge")).toBe(1.01);
    expect(hourlyPrice("m7i.large")).toBe(0.1008);
    expect(hourlyPrice("m6i.large")).toBe(0.096);
    expect(hourlyPrice("m5.large")).toBe(0.096);
    expect(hourlyPrice("m7i.xlarge")).toBe(0.2016);
    expect(hourlyPrice("m6i.xlarge")).toBe(0.192);
    expect(hourlyPrice("m5.xlarge")).toBe(0.192);
    expect(hourlyPrice("t3.micro")).toBeUndefined();
    // A label is any text: names of Object's own properties are not prices.
    for (const label of ["constructor", "toString", "__proto__", "hasOwnProperty"])
      expect(hourlyPrice(label)).toBeUndefined();
  });

  it("adds the EKS control plane at $0.10/h and says the prices are approximate", () => {
    expect(EKS_CONTROL_PLANE_HOURLY_USD).toBe(0.1);
    expect(STATUS_PRICE_NOTE).toBe("approximate on-demand prices, us-east-1, 2025-11");
  });
});
