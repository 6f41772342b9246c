import type { CommandModule } from "../program.js";
import { doctorCommand } from "./doctor.js";

/** Every registered command. Register only commands that work. */
export const commandModules: readonly CommandModule[] = [doctorCommand];
