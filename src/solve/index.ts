/** Public entry of the solve stage: the central OPF and its prices (the ADMM entry is added by its owner). */
export { solveCentralOpf } from './central/solveCentralOpf.js';
export { buildCentralOpf, type CentralOpf, type CentralOpfOptions } from './central/buildCentralOpf.js';
export { runCentralOpf, defaultCentralSettings, type CentralOpfResult, type ConicSolveFunction } from './central/runCentralOpf.js';
export { computeDlmps, type DlmpDecomposition, type PriceParts } from './central/dlmp.js';
export { diagnoseInfeasibility, type InfeasibilityHint } from './central/diagnoseInfeasibility.js';
