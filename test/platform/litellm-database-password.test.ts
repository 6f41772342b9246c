import { describe, expect, it } from "vitest";
import { dig, type KubeObject, listYamlFiles, loadManifests } from "./support/manifests-load.js";

// Issue 17 point 5: LiteLLM's Postgres password was the master key, so rotating the key locked
// LiteLLM out of its database and one leak was two. Both sides now read `postgres-password`.

interface EnvVar {
  name: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
const objects = loadManifests(listYamlFiles(["platform/apps/litellm"])).map((m) => m.object);
const env = (kind: string, name: string): EnvVar[] => {
  const o = objects.find((x: KubeObject) => x.kind === kind && x.metadata?.name === name);
  const containers = dig(o, "spec", "template", "spec", "containers") as { env?: EnvVar[] }[];
  return containers.flatMap((c) => c.env ?? []);
};
const ref = (vars: EnvVar[], name: string) => vars.find((v) => v.name === name)?.valueFrom?.secretKeyRef;

describe("LiteLLM's database password is not the master key", () => {
  it("Postgres and LiteLLM read the same postgres-password, and the master key stays separate", () => {
    const postgres = env("StatefulSet", "litellm-postgres");
    const proxy = env("Deployment", "litellm");
    expect(ref(postgres, "POSTGRES_PASSWORD")).toEqual({ name: "litellm-secrets", key: "postgres-password" });
    expect(ref(proxy, "DATABASE_PASSWORD")).toEqual({ name: "litellm-secrets", key: "postgres-password" });
    expect(ref(proxy, "LITELLM_MASTER_KEY")).toEqual({ name: "litellm-secrets", key: "master-key" });
  });

  it("no secretKeyRef in the LiteLLM manifests uses the master key for anything but LITELLM_MASTER_KEY", () => {
    const misuse = objects.flatMap((o) =>
      ((dig(o, "spec", "template", "spec", "containers") ?? []) as { env?: EnvVar[] }[])
        .flatMap((c) => c.env ?? [])
        .filter((v) => v.valueFrom?.secretKeyRef?.key === "master-key" && v.name !== "LITELLM_MASTER_KEY")
        .map((v) => `${o.metadata?.name}: ${v.name}`),
    );
    expect(misuse).toEqual([]);
  });
});
