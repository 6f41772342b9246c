/**
 * The renderer checked against expectations it did not produce (issue 21). The --dry-run tests and
 * the simulator's KRO both use renderInstance, so they cannot notice it being wrong; here the
 * expected RayService and Job for a fixed InferenceEndpoint are written by hand from the RGD and
 * KRO 0.9.3's rules (test/fixtures/kro/README.md), and a small RGD pins KRO's precedence rules
 * for labels and namespaces:
 *  - kubernetes-sigs/kro v0.9.3 pkg/controller/instance/resources.go applyDecoratorLabels: the
 *    template's labels, then KRO's (instance, managed-by, owned, RGD name) written over them, then
 *    kro.run/node-id = the resource's id. The instance's own labels are not copied.
 *  - pkg/runtime/node_resolve.go normalizeNamespaces: a child without metadata.namespace gets the
 *    instance's; a child that sets one (literal or expression) keeps it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderInstance } from "../../src/core/kro/index.js";
import { repoRoot } from "../support/paths.js";
import { loadRgd } from "./support/crd-fixtures.js";

const fixture = (name: string) =>
  parse(readFileSync(join(repoRoot, "test", "fixtures", "kro", name), "utf8")) as Record<string, unknown>;

describe("the shipped RGD renders what KRO would create (hand-written expectations)", () => {
  const rendered = renderInstance(loadRgd(), fixture("instance.yaml"));
  const object = (id: string) => rendered.resources.find((r) => r.id === id)?.object;

  it("renders exactly two children, the RayService before the Job", () => {
    expect(rendered.resources.map((r) => r.id)).toEqual(["rayservice", "registration"]);
  });

  it("the RayService equals test/fixtures/kro/expected-rayservice.yaml", () => {
    expect(object("rayservice")).toEqual(fixture("expected-rayservice.yaml"));
  });

  it("the registration Job equals test/fixtures/kro/expected-job.yaml", () => {
    expect(object("registration")).toEqual(fixture("expected-job.yaml"));
  });

  it("leaves nothing unresolved in either child (status expressions stay on the instance)", () => {
    expect(rendered.resources.map((r) => r.unresolved)).toEqual([[], []]);
  });
});

const PRECEDENCE_RGD = fixture("precedence-rgd.yaml");

const INSTANCE = {
  apiVersion: "kro.run/v1alpha1",
  kind: "Precedence",
  metadata: { name: "p1", namespace: "team-a", labels: { team: "from-instance", extra: "x" } },
  spec: {},
};

const KRO_LABELS = {
  "app.kubernetes.io/managed-by": "kro",
  "kro.run/owned": "true",
  "kro.run/instance-name": "p1",
  "kro.run/instance-namespace": "team-a",
  "kro.run/instance-group": "kro.run",
  "kro.run/instance-version": "v1alpha1",
  "kro.run/instance-kind": "Precedence",
  "kro.run/resource-graph-definition-name": "precedence.kro.run",
};

describe("KRO's precedence rules for children's labels and namespace (a unit RGD)", () => {
  const rendered = renderInstance(PRECEDENCE_RGD, INSTANCE);
  const meta = (id: string) =>
    rendered.resources.find((r) => r.id === id)?.object.metadata as {
      namespace?: string;
      labels?: Record<string, string>;
    };

  it("KRO's labels win over the template's on the same key; other template labels stay", () => {
    expect(meta("inherits").labels).toEqual({
      ...KRO_LABELS,
      team: "from-template",
      "kro.run/node-id": "inherits",
    });
  });

  it("the instance's own labels are not copied to children", () => {
    expect(meta("literal").labels).toEqual({ ...KRO_LABELS, "kro.run/node-id": "literal" });
    expect(meta("literal").labels).not.toHaveProperty("extra");
  });

  it("a child without a namespace gets the instance's; one that sets it keeps it, literal or expression", () => {
    expect(meta("inherits").namespace).toBe("team-a");
    expect(meta("literal").namespace).toBe("shared-config");
    expect(meta("fromSpec").namespace).toBe("team-b");
    // Expressions that read a child see the namespace KRO gave it.
    expect(rendered.resources.find((r) => r.id === "fromSpec")?.object.data).toEqual({ ns: "team-a" });
  });

  it("an instance without a namespace is in default, and so are its children", () => {
    const noNs = renderInstance(PRECEDENCE_RGD, { ...INSTANCE, metadata: { name: "p2" } });
    expect(noNs.resources.map((r) => (r.object.metadata as { namespace: string }).namespace)).toEqual([
      "default",
      "shared-config",
      "team-b",
    ]);
    expect((noNs.resources[0]!.object.metadata as { labels: Record<string, string> }).labels).toMatchObject({
      "kro.run/instance-namespace": "default",
    });
  });
});
