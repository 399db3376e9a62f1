import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex, encodeFunctionData, type Hex } from 'viem';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';
import { fixedPointCoordinatorStep, initialFixedPointState } from '../fixedPointCoordinator.js';
import { localSolutions, syntheticProblem, testParams } from '../syntheticConsensus.js';
import { iterationPayload, submitIterationCalldata } from './submitIteration.js';
import { GridError } from '../../core/errors.js';

test('submitIterationCalldata packs the bytes viem\'s ABI encoder gives for iterationPayload, every chunk', () => {
  const problem = syntheticProblem(9, 5, 3);
  const { layout } = problem;
  let state = initialFixedPointState(layout, testParams.rho0);
  state = fixedPointCoordinatorStep(layout, state, localSolutions(problem, state), testParams).state; // nonzero duals
  const localVectors = localSolutions(problem, state);
  const signatures: (Hex | null)[] = layout.copyMap.map((_, b) => (b % 3 === 0 ? null : `0x${(b + 16).toString(16).repeat(65)}` as Hex));
  for (const [periodsPerChunk, chunks] of [[2, 3], [5, 1]] as const) {
    for (let chunk = 0; chunk < chunks; chunk++) {
      const o = { layout, periodsPerChunk, chunk, localVectors, state, signatures, iteration: state.iteration };
      const p = iterationPayload(o);
      const expected = encodeFunctionData({ abi: admmCoordinatorAbi, functionName: 'submitIteration', args: [o.iteration, chunk, p.x, p.zPrev, p.dualsPrev, p.signatures] });
      assert.equal(bytesToHex(submitIterationCalldata(o)), expected, `chunk ${chunk} of ${chunks}`);
    }
  }
  assert.throws(() => submitIterationCalldata({ layout, periodsPerChunk: 2, chunk: 3, localVectors, state, signatures, iteration: 0n }), GridError);
  assert.throws(() => submitIterationCalldata({ layout, periodsPerChunk: 2, chunk: 0, localVectors, state, signatures: signatures.slice(1), iteration: 0n }), GridError);
  const tooLarge = localVectors.map((v) => [...v]);
  tooLarge[2]![0] = 1n << 63n;
  assert.throws(() => submitIterationCalldata({ layout, periodsPerChunk: 2, chunk: 0, localVectors: tooLarge, state, signatures, iteration: 0n }), /x \(bus 2\)/);
});
