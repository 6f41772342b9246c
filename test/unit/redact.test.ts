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

  // Mutation testing (TESTING.md) found these edges unpinned: each case below fails when a length
  // bound, a key spelling or the array branch is changed.
  it("keeps arrays as arrays, each element redacted in place", () => {
    const r = new Redactor();
    r.add("topsecretvalue");
    expect(r.redactValue({ a: ["topsecretvalue", "plain"] })).toEqual({ a: ["***", "plain"] });
  });

  it.each([
    ["a short sk- word", "install sk-learn first"],
    ["a short hf_ word", "see hf_hub docs"],
    ["a short dckr_pat_ word", "dckr_pat_abc is not a token"],
    ["a short EKS prefix", "k8s-aws-v1.abcdef"],
    ["a short GitHub-like word", "ghp_shortvalue123"],
    ["a GitHub-like prefix of another letter", "ghx_abcdefghijklmnopqrstuvwxyz"],
    ["a three-character assignment", "token=abc"],
    ["a short bearer", "Bearer abc"],
  ])("leaves %s alone (under the shape's minimum length)", (_name, text) => {
    expect(new Redactor().redact(text)).toBe(text);
  });

  it.each([
    ["GitHub token", "remote ghp_abcdefghijklmnopqrstuvwxyz0123", "remote ghp_***"],
    ["apikey", "apikey=abcd1234", "apikey=***"],
    ["api-key", "api-key: abcd1234", "api-key: ***"],
    ["masterkey", "masterkey=abcd1234", "masterkey=***"],
    ["master_key", "master_key=abcd1234", "master_key=***"],
    ["bearer after two spaces", "Authorization: Bearer  abcdefgh123", "Authorization: Bearer  ***"],
  ])("masks a %s to exactly its kept prefix", (_name, text, expected) => {
    expect(new Redactor().redact(text)).toBe(expected);
  });
});

describe("Redactor: secret assignments whose key ends in token", () => {
  it.each([
    ["access_token=abcd1234", "access_token=***"],
    ["access-token: abcd1234", "access-token: ***"],
    ["AccessToken=abcd1234", "AccessToken=***"],
    ["AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaD", "AWS_SESSION_TOKEN=***"],
    ['{"aws_session_token": "FwoGZXIvYXdzEBYaD"}', '{"aws_session_token": "***"}'],
    ["AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI", "AWS_SECRET_ACCESS_KEY=***"],
    ["passwd: abcd1234", "passwd: ***"],
    ["secret='abcd1234'", "secret='***'"],
    ["api_key=abcd1234", "api_key=***"],
    ["master-key=abcd1234", "master-key=***"],
  ])("masks %j as %j", (text, expected) => {
    expect(new Redactor().redact(text)).toBe(expected);
  });
});
