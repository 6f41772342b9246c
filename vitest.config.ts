import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Two cores in CI: more workers only add contention for terraform, git and kubectl children.
    maxWorkers: 2,
  },
});
