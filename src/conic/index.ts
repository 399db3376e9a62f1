export { solveConic, createConicSolver } from './solveConic.js';
export { defaultSolverSettings } from './ipm/settings.js';
export { ConicInputError } from './conicInputError.js';
export { cscFromTriplets } from './sparse/cscFromTriplets.js';
export { upperTriangle } from './sparse/upperTriangle.js';
export { cscMulAdd, cscTransposeMulAdd, symmetricUpperMulAdd } from './sparse/cscMatVec.js';
export type {
  ConeSpec,
  ConicProblem,
  ConicSolution,
  ConicSolver,
  CscMatrix,
  IterationInfo,
  SolveStatus,
  SolveTimings,
  SolverSettings,
} from './types.js';
