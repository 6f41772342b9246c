/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: KRO writes its expressions as ${...} in plain strings */
import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "../../src/core/errors.js";
import {
  evaluateExpression,
  generateInstanceCrd,
  renderInstance,
  splitExpressions,
} from "../../src/core/kro/index.js";

const rgd = {
  apiVersion: "kro.run/v1alpha1",
  kind: "ResourceGraphDefinition",
  metadata: { name: "webapp.kro.run" },
  spec: {
    schema: {
      apiVersion: "v1alpha1",
      kind: "WebApp",
      spec: {
        image: 'string | required=true pattern="^[a-z/:.0-9-]+$"',
        replicas: "integer | default=2 minimum=1 maximum=5",
        tier: 'string | default="web" enum="web,worker"',
      },
      status: { available: "${deployment.status.?availableReplicas.orValue(0)}" },
    },
    resources: [
      {
        id: "deployment",
        readyWhen: ["${deployment.status.?availableReplicas.orValue(0) > 0}"],
        template: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "${schema.metadata.name}-${schema.spec.tier}" },
          spec: {
            replicas: "${schema.spec.replicas}",
            template: {
              spec: {
                containers: [
                  {
                    name: "app",
                    image: "${schema.spec.image}",
                    args: ["--replicas=${string(schema.spec.replicas)}", 'echo "$HOME"'],
                  },
                ],
              },
            },
          },
        },
      },
      {
        id: "service",
        template: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "${deployment.metadata.name}-svc" },
          spec: { clusterIP: "${deployment.status.clusterIP}" },
        },
      },
    ],
  },
};

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked by field name
type Json = any;

function instance(spec: Record<string, unknown>, name = "shop") {
  return { apiVersion: "kro.run/v1alpha1", kind: "WebApp", metadata: { name, namespace: "apps" }, spec };
}

describe("renderInstance: what KRO would create for an instance", () => {
  it("keeps a standalone expression's type and interpolates inside strings", () => {
    const result = renderInstance(rgd, instance({ image: "nginx:1.27", replicas: 3 }));
    const deployment = result.resources[0]!.object as Json;
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.metadata.name).toBe("shop-web");
    expect(deployment.spec.template.spec.containers[0].args).toEqual(["--replicas=3", 'echo "$HOME"']);
    expect(deployment.metadata.namespace).toBe("apps");
  });

  it("labels every child as KRO does, so `kubectl get -l kro.run/instance-name=<name>` finds them", () => {
    const result = renderInstance(rgd, instance({ image: "nginx" }));
    for (const { object } of result.resources) {
      expect((object as Json).metadata.labels).toMatchObject({
        "kro.run/owned": "true",
        "kro.run/instance-name": "shop",
        "kro.run/instance-namespace": "apps",
        "kro.run/instance-group": "kro.run",
        "kro.run/instance-version": "v1alpha1",
        "kro.run/instance-kind": "WebApp",
        "kro.run/resource-graph-definition-name": "webapp.kro.run",
        "app.kubernetes.io/managed-by": "kro",
      });
    }
  });

  it("applies the schema's defaults to the instance", () => {
    const result = renderInstance(rgd, instance({ image: "nginx" }));
    expect(result.instance.spec).toEqual({ image: "nginx", replicas: 2, tier: "web" });
    expect((result.resources[0]!.object as Json).spec.replicas).toBe(2);
  });

  it("resolves another resource's metadata but leaves its status for KRO, listed", () => {
    const result = renderInstance(rgd, instance({ image: "nginx" }));
    const service = result.resources[1];
    expect((service!.object as Json).metadata.name).toBe("shop-web-svc");
    expect((service!.object as Json).spec.clusterIP).toBe("${deployment.status.clusterIP}");
    expect(service?.unresolved).toEqual(["deployment.status.clusterIP"]);
    expect(result.resources[0]?.readyWhen).toHaveLength(1);
    expect(result.status.available).toContain("deployment.status");
  });

  it("rejects an invalid instance with every problem named", () => {
    let error: unknown;
    try {
      renderInstance(rgd, instance({ replicas: 9, tier: "db", imag: "x" }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toMatch(/spec\.image is required/);
    expect(message).toMatch(/spec\.replicas must be at most 5 \(got 9\)/);
    expect(message).toMatch(/spec\.tier must be one of "web", "worker"/);
    expect(message).toMatch(/spec\.imag is not a field/);
  });

  it("rejects wrong types, patterns, kinds and apiVersions", () => {
    expect(() => renderInstance(rgd, instance({ image: "nginx", replicas: "3" }))).toThrow(
      /must be an integer/,
    );
    expect(() => renderInstance(rgd, instance({ image: "NGINX!" }))).toThrow(/does not match/);
    expect(() => renderInstance(rgd, { ...instance({ image: "x" }), kind: "Other" })).toThrow(
      /kind must be WebApp/,
    );
    expect(() => renderInstance(rgd, { ...instance({ image: "x" }), apiVersion: "v1" })).toThrow(UsageError);
  });

  it("refuses a value containing ${ (KRO would evaluate it: an injection)", () => {
    expect(() => renderInstance(rgd, instance({ image: "${schema.spec.tier}" }))).toThrow(
      /spec\.image contains "\$\{"/,
    );
    expect(() => renderInstance(rgd, instance({ image: "nginx" }, "a${b}"))).toThrow(
      /metadata\.name contains/,
    );
  });

  it("fails like KRO when a string template embeds a non-string (the fix is string())", () => {
    const bad = structuredClone(rgd);
    (bad.spec.resources[0]!.template as Json).metadata.name = "app-${schema.spec.replicas}";
    expect(() => renderInstance(bad, instance({ image: "nginx" }))).toThrow(ConfigError);
    expect(() => renderInstance(bad, instance({ image: "nginx" }))).toThrow(/wrap it in string\(\)/);
  });

  it("generates the instance CRD KRO would serve, with defaults and limits", () => {
    const crd = generateInstanceCrd(rgd) as Json;
    expect(crd.metadata.name).toBe("webapps.kro.run");
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    expect(spec.required).toEqual(["image"]);
    expect(spec.properties.replicas).toMatchObject({ type: "integer", default: 2, minimum: 1, maximum: 5 });
  });
});

describe("splitExpressions", () => {
  it("balances braces and quotes inside CEL (KRO's escape for a literal shell ${VAR})", () => {
    expect(splitExpressions('a ${"${VAR}"} b ${x.map(m, {"k": m})}')).toEqual([
      { text: "a ", expression: false },
      { text: '"${VAR}"', expression: true },
      { text: " b ", expression: false },
      { text: 'x.map(m, {"k": m})', expression: true },
    ]);
  });

  it("reports an unterminated expression", () => {
    expect(() => splitExpressions("echo ${HOME")).toThrow(/Unterminated/);
  });
});

describe("CEL operators of the preview (written with spaces, as the platform's RGD does)", () => {
  const scope = { schema: { spec: { source: "", model: "org/m", n: 2 } } };
  it("picks a ternary branch from an equality", () => {
    expect(evaluateExpression('schema.spec.source == "" ? schema.spec.model : "x"', scope)).toBe("org/m");
    expect(evaluateExpression('schema.spec.source != "" ? schema.spec.model : "x"', scope)).toBe("x");
  });
  it("concatenates strings, adds integers, and keeps quoted operators as text", () => {
    expect(evaluateExpression("'{a: \"' + schema.spec.model + '\"}'", scope)).toBe('{a: "org/m"}');
    expect(evaluateExpression("schema.spec.n + 1", scope)).toBe(3);
    expect(evaluateExpression('"a ? b : c"', scope)).toBe("a ? b : c");
  });
  it("leaves status reads and mixed types unresolved", () => {
    expect(evaluateExpression("x.status.n == 1 ? 1 : 2", scope)).toHaveProperty("expression");
    expect(evaluateExpression("schema.spec.n + schema.spec.model", scope)).toHaveProperty("expression");
  });
});

describe("expression scanning follows KRO's (double quotes only delimit strings)", () => {
  it("a brace inside a double-quoted CEL string does not end the expression", () => {
    expect(splitExpressions('a ${"{x: \\"" + schema.spec.s + "\\"}"} b')).toEqual([
      { text: "a ", expression: false },
      { text: '"{x: \\"" + schema.spec.s + "\\"}"', expression: true },
      { text: " b", expression: false },
    ]);
  });
  it("a brace inside single quotes counts, as in KRO: the expression never closes", () => {
    expect(() => splitExpressions("${'{' + schema.spec.s}")).toThrow(ConfigError);
  });
});
