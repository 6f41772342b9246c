import type { CommandModule } from "../program.js";

// Command files only declare the command; the handler is imported when the command runs, so
// `aiplat --help` does not load every command's code.
export const doctorCommand: CommandModule = {
  register(program, action) {
    program
      .command("doctor")
      .description(
        "check prerequisites, configuration, AWS credentials and cluster access; a fix for each failure",
      )
      .action(action(async (ctx) => (await import("../doctor/run-doctor.js")).runDoctor(ctx)));
  },
};
