import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { repoRoot } from "../support/paths.js";
import { hasKubectl, skipNote } from "../support/tools.js";
import { eventually, widgetCrd } from "./helpers.js";

const run = promisify(execFile);
const present = hasKubectl();

/**
 * kubectl 1.32 is the judge of the test server's fidelity: `npm run test-cluster` starts it as
 * people would, and kubectl runs with its own HOME and cache dir.
 */
describe.skipIf(!present)(
  `kubectl 1.32 against the launched test server${skipNote("kubectl", present)}`,
  () => {
    let dir = "";
    let launcher: ChildProcess | undefined;
    let url = "";
    let kubeconfig = "";
    const children: ChildProcess[] = [];

    const env = () => ({ ...process.env, HOME: join(dir, "home"), KUBECONFIG: kubeconfig });

    async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
      try {
        const { stdout, stderr } = await run("kubectl", ["--cache-dir", join(dir, "cache"), ...args], {
          env: env(),
          timeout: 20_000,
        });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; code?: number };
        return {
          stdout: e.stdout ?? "",
          stderr: e.stderr ?? "",
          code: typeof e.code === "number" ? e.code : 1,
        };
      }
    }

    function background(...args: string[]): { child: ChildProcess; out: string[] } {
      const child = spawn("kubectl", ["--cache-dir", join(dir, "cache"), ...args], { env: env() });
      children.push(child);
      const out: string[] = [];
      child.stdout.on("data", (d: Buffer) => out.push(d.toString()));
      child.stderr.on("data", (d: Buffer) => out.push(d.toString()));
      return { child, out };
    }

    function manifest(name: string, docs: unknown[]): string {
      const path = join(dir, name);
      writeFileSync(path, docs.map((d) => stringify(d)).join("---\n"));
      return path;
    }

    async function patchStatus(path: string, status: unknown): Promise<void> {
      const res = await fetch(`${url}${path}/status`, {
        method: "PATCH",
        headers: { "Content-Type": "application/merge-patch+json" },
        body: JSON.stringify({ status }),
      });
      expect(res.status).toBe(200);
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "aiplat-kubectl-"));
      mkdirSync(join(dir, "home"));
      kubeconfig = join(dir, "kubeconfig");
      // The documented launcher, as people start it; its own process group so stopping it stops
      // npm, the shell and the server together.
      launcher = spawn(
        "npm",
        ["run", "--silent", "test-cluster", "--", "--port", "0", "--kubeconfig", kubeconfig],
        {
          cwd: repoRoot,
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        },
      );
      const out: string[] = [];
      launcher.stdout?.on("data", (d: Buffer) => out.push(d.toString()));
      launcher.stderr?.on("data", (d: Buffer) => out.push(d.toString()));
      await eventually(
        out,
        (o) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(o.join("")),
        "the launcher to print its URL",
      );
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.join(""))![1]!;
    });

    afterAll(async () => {
      for (const c of children) c.kill();
      if (launcher?.pid && launcher.exitCode === null) {
        const exited = new Promise((r) => launcher!.once("exit", r));
        process.kill(-launcher.pid, "SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it("the launcher writes a kubeconfig pointing at the URL it printed", () => {
      const config = parse(readFileSync(kubeconfig, "utf8")) as {
        clusters: { cluster: { server: string } }[];
        "current-context": string;
      };
      expect(config.clusters[0]?.cluster.server).toBe(url);
      expect(config["current-context"]).toBe("aiplat-test");
    });

    it("applies a namespace, a Secret and a ConfigMap with default validation", async () => {
      const path = manifest("base.yaml", [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "demo" } },
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "creds", namespace: "demo" },
          stringData: { token: "t0ken" },
        },
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "settings", namespace: "demo", labels: { app: "web" } },
          data: { mode: "fast" },
        },
      ]);
      const res = await kubectl("apply", "-f", path);
      expect(res.stderr).toBe("");
      expect(res.stdout.trim().split("\n")).toEqual([
        "namespace/demo created",
        "secret/creds created",
        "configmap/settings created",
      ]);
      const again = await kubectl("apply", "-f", path);
      expect(again.stdout).toContain("configmap/settings unchanged");
    });

    it("applies a CRD and then an instance of it, and lists it by plural and short name", async () => {
      expect((await kubectl("apply", "-f", manifest("crd.yaml", [widgetCrd]))).stdout.trim()).toBe(
        "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created",
      );
      const instance = {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w1", namespace: "demo" },
        spec: { size: 3 },
      };
      const res = await kubectl("apply", "-f", manifest("widget.yaml", [instance]));
      expect(res.stderr).toBe("");
      expect(res.stdout.trim()).toBe("widget.example.com/w1 created");
      // Default validation is strict: kubectl asks the server (fieldValidation=Strict), which
      // refuses a field the CRD's schema does not declare instead of silently pruning it.
      const typo = await kubectl(
        "apply",
        "-f",
        manifest("typo.yaml", [
          { ...instance, metadata: { name: "w2", namespace: "demo" }, spec: { size: 1, colour: "red" } },
        ]),
      );
      expect(typo.code).not.toBe(0);
      expect(typo.stderr).toContain('strict decoding error: unknown field "spec.colour"');
      const table = await kubectl("get", "widgets", "-n", "demo");
      expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+SIZE\s+AGE$/);
      expect(table.stdout).toMatch(/^w1\s+3\s+\S+$/m);
      expect((await kubectl("get", "wd", "-n", "demo", "-o", "name")).stdout.trim()).toBe(
        "widget.example.com/w1",
      );
    });

    it("gets built-ins as a table and as JSON", async () => {
      const table = await kubectl("get", "configmaps", "-n", "demo");
      expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
      expect(table.stdout).toMatch(/^settings\s+1\s+\S+$/m);
      const json = JSON.parse(
        (await kubectl("get", "secret", "creds", "-n", "demo", "-o", "json")).stdout,
      ) as { data: Record<string, string> };
      expect(Buffer.from(json.data.token ?? "", "base64").toString()).toBe("t0ken");
      const missing = await kubectl("get", "configmap", "nope", "-n", "demo");
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('Error from server (NotFound): configmaps "nope" not found');
    });

    it("creates a namespace, a ConfigMap and a Secret with kubectl create (protobuf bodies)", async () => {
      expect((await kubectl("create", "namespace", "made")).stdout.trim()).toBe("namespace/made created");
      expect(
        (await kubectl("create", "configmap", "cfg", "-n", "made", "--from-literal=a=1")).stdout.trim(),
      ).toBe("configmap/cfg created");
      expect(
        (
          await kubectl("create", "secret", "generic", "sec", "-n", "made", "--from-literal=token=abc")
        ).stdout.trim(),
      ).toBe("secret/sec created");
      const secret = JSON.parse(
        (await kubectl("get", "secret", "sec", "-n", "made", "-o", "json")).stdout,
      ) as { type: string; data: Record<string, string> };
      expect(secret).toMatchObject({
        type: "Opaque",
        data: { token: Buffer.from("abc").toString("base64") },
      });
      expect(
        (await kubectl("get", "configmap", "cfg", "-n", "made", "-o", "jsonpath={.data.a}")).stdout,
      ).toBe("1");
      const unsupported = await kubectl("create", "deployment", "d", "--image=x", "-n", "made");
      expect(unsupported.code).not.toBe(0);
      expect(unsupported.stderr).toContain("send JSON or YAML");
    });

    it("labels an object and selects it by the new label", async () => {
      expect((await kubectl("label", "configmap", "settings", "-n", "demo", "tier=gold")).stdout.trim()).toBe(
        "configmap/settings labeled",
      );
      const selected = await kubectl(
        "get",
        "configmaps",
        "-n",
        "demo",
        "-l",
        "tier in (gold,silver),app=web",
        "-o",
        "name",
      );
      expect(selected.stdout.trim()).toBe("configmap/settings");
    });

    it("waits for a Ready condition that the test sets on the status", async () => {
      const wait = background("wait", "--for=condition=Ready", "widget/w1", "-n", "demo", "--timeout=20s");
      const exited = new Promise<number | null>((r) => wait.child.once("exit", r));
      await new Promise((r) => setTimeout(r, 300));
      expect(wait.child.exitCode).toBeNull();
      await patchStatus("/apis/example.com/v1/namespaces/demo/widgets/w1", {
        conditions: [{ type: "Ready", status: "True" }],
      });
      expect(await exited).toBe(0);
      expect(wait.out.join("")).toContain("widget.example.com/w1 condition met");
    });

    it("sees a change through kubectl get --watch", async () => {
      const watch = background("get", "configmaps", "-n", "demo", "--watch", "-o", "name");
      await eventually(watch.out, (o) => o.join("").includes("configmap/settings"), "the initial listing");
      const before = watch.out.join("").split("\n").filter(Boolean).length;
      expect((await kubectl("label", "configmap", "settings", "-n", "demo", "stage=2")).code).toBe(0);
      await eventually(
        watch.out,
        (o) => o.join("").split("\n").filter(Boolean).length > before,
        "the watched change",
      );
      watch.child.kill();
    });

    it("refuses kubectl port-forward with a message naming the protocol it does support", async () => {
      expect((await kubectl("run", "web", "-n", "demo", "--image=x")).code).toBe(0);
      await patchStatus("/api/v1/namespaces/demo/pods/web", { phase: "Running" });
      const forward = await kubectl("port-forward", "-n", "demo", "pod/web", "0:80");
      expect(forward.code).not.toBe(0);
      expect(forward.stderr).toContain("kubectl port-forward (SPDY");
      expect(forward.stderr).toContain("v4.channel.k8s.io");
    });

    it("applies server-side, then deletes and waits for the object to go", async () => {
      const cm = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "ssa", namespace: "demo" },
        data: { a: "1" },
      };
      expect((await kubectl("apply", "--server-side", "-f", manifest("ssa.yaml", [cm]))).stdout.trim()).toBe(
        "configmap/ssa serverside-applied",
      );
      const conflict = await kubectl(
        "apply",
        "--server-side",
        "--field-manager",
        "other",
        "-f",
        manifest("ssa2.yaml", [{ ...cm, data: { a: "2" } }]),
      );
      expect(conflict.code).not.toBe(0);
      expect(conflict.stderr).toContain('conflict with "kubectl"');
      expect((await kubectl("delete", "configmap", "ssa", "-n", "demo")).stdout.trim()).toBe(
        'configmap "ssa" deleted',
      );
      expect((await kubectl("delete", "widget", "w1", "-n", "demo")).stdout.trim()).toBe(
        'widget.example.com "w1" deleted',
      );
      expect((await kubectl("get", "widgets", "-n", "demo", "-o", "name")).stdout.trim()).toBe("");
      expect((await kubectl("delete", "namespace", "demo")).stdout.trim()).toBe('namespace "demo" deleted');
      expect((await kubectl("get", "namespaces", "-o", "name")).stdout).not.toContain("namespace/demo");
    });
  },
);
