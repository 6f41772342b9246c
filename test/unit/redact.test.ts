import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/core/redact.js";

describe("Redactor", () => {
  it("masks secrets registered at run time wherever they appear", () => {
    const r = new Redactor();
    r.add("s3cr3t-master-value");
    expect(r.redact("key=s3cr3t-master-value and again s3cr3t-master-value")).not.toContain(
      "s3cr3t-master-value",
    );
  });

  it("masks the longer of two overlapping secrets whole", () => {
    const r = new Redactor();
    r.add("abcd");
    r.add("abcdefgh-long");
    expect(r.redact("x abcdefgh-long y")).toBe("x *** y");
  });

  it("ignores values too short to be secrets, so ordinary words survive", () => {
    const r = new Redactor();
    r.add("ab");
    expect(r.redact("about abba")).toBe("about abba");
  });

  it.each([
    ["LiteLLM key", "Authorization failed for sk-1234567890abcdef", "sk-1234567890abcdef"],
    ["HuggingFace token", "token hf_AbCdEfGhIjKlMnOp rejected", "hf_AbCdEfGhIjKlMnOp"],
    ["Docker Hub token", "dckr_pat_abcdefghijklmnop", "abcdefghijklmnop"],
    ["EKS token", "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8", "aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8"],
    ["AWS access key id", "AKIAABCDEFGHIJKLMNOP used", "ABCDEFGHIJKLMNOP"],
    ["password assignment", 'password = "hunter2hunter2"', "hunter2hunter2"],
    ["JSON secret field", '{"master-key": "mk-0123456789"}', "mk-0123456789"],
    ["URL credentials", "https://user:ghp_notreal123@github.com/x.git", "ghp_notreal123"],
    ["bearer header", "Authorization: Bearer abc.def.ghi-123", "abc.def.ghi-123"],
    ["aws secret env", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "wJalrXUtnFEMI/K7MDENG"],
  ])("masks a %s nobody registered", (_name, text, secret) => {
    const out = new Redactor().redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("***");
  });

  it("leaves ordinary progress text untouched", () => {
    const text = "Applying 30.eks/30.cluster: creating module.eks.aws_eks_cluster.this (2m 05s)";
    expect(new Redactor().redact(text)).toBe(text);
  });

  it("redacts every string inside structured data", () => {
    const r = new Redactor();
    r.add("topsecretvalue");
    const out = r.redactValue({ a: ["topsecretvalue"], b: { c: "x topsecretvalue" }, n: 3 });
    expect(JSON.stringify(out)).not.toContain("topsecretvalue");
    expect(out.n).toBe(3);
  });
});
