import type { CommandModule } from "../program.js";
import { doctorCommand } from "./doctor.js";
import { initCommand } from "./init.js";

/** Every registered command. Register only commands that work. */
export const commandModules: readonly CommandModule[] = [doctorCommand, initCommand];
