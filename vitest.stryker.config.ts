import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The tests Stryker runs against each mutant (npm run mutate): the in-process suites of the pure
// core and the adapters. The CLI, simulator and e2e suites spawn the built dist/ (which Stryker
// does not mutate) or run minutes of real terraform, so on 2 cores they would not finish; a
// mutant only they could kill counts as survived, which makes the recorded score a lower bound.
export default defineConfig({
  test: {
    ...base.test,
    include: ["test/unit/**/*.test.ts", "test/adapters/**/*.test.ts", "test/platform/**/*.test.ts"],
    // Checks the repository's symlinks, which Stryker's sandbox copies as plain files.
    exclude: ["test/platform/terraform-variables.test.ts"],
  },
});
