/** Public entry of the scenario stage: case files, MATPOWER import, the paper scenario, per-unit conversion. */
export type { Device, Scenario, ScenarioBus, Generator, Photovoltaic, FixedLoad, Battery, ShapableLoad, DeferrableLoad } from './types.js';
export type { CaseFile, CaseBus, CaseLine, CaseDevice, CaseSubstation } from './caseFile.js';
export { parseCaseFile, validateCaseFile, caseFileIssues } from './parseCaseFile.js';
export { toScenario, type ToScenarioOptions } from './toScenario.js';
export { formatCaseFile } from './formatCaseFile.js';
export { parseMatpowerCase, type MatpowerImportOptions } from './matpower/parseMatpowerCase.js';
export { buildPaperScenario } from './buildPaperScenario.js';
export { paperScenarioDefaults, parsePaperScenarioOverrides, type PaperScenarioOptions, type PaperScenarioParameters } from './paperScenarioOptions.js';
export { CaseFileError, MatpowerImportError, type CaseIssue } from './errors.js';
