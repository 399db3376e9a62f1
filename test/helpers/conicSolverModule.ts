/**
 * A module exporting `createConicSolver` for ADMM worker threads in tests: the project's solver
 * when it has landed in this build, SCS otherwise (see conicSolverFactory.ts).
 */
import type { ConicSolver } from '../../src/conic/types.js';
import { conicSolverFactory, type TestSolverFactory } from './conicSolverFactory.js';

const factory = await conicSolverFactory();

export const createConicSolver: TestSolverFactory = (problem, settings): ConicSolver => factory(problem, settings);
