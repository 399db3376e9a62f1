import type { CAC } from 'cac';
import { registerAdmmCommand } from './admm.js';
import { registerOpfCommand } from './opf.js';
import { registerScenarioCommand } from './scenario.js';
import { registerPowerflowCommand } from './powerflow.js';
import { registerSolveCommand } from './solve.js';
import { registerVerifyCommand } from './verify.js';
import { registerDashboardCommand } from './dashboard.js';
import { registerRunCommand } from './run.js';
import { registerAgentCommand } from './agent.js';
import { registerStartCommand } from './start.js';

/** Each command module exports one `register*Command(cli)`; this list wires them into the CLI. */
export const commands: Array<(cli: CAC) => void> = [registerSolveCommand, registerAdmmCommand, registerScenarioCommand, registerPowerflowCommand, registerOpfCommand, registerRunCommand, registerAgentCommand, registerStartCommand, registerVerifyCommand, registerDashboardCommand];
