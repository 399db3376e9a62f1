/**
 * Posts one chunk of one iteration: every bus's local values (signed), the chunk's z^k and
 * compressed duals xi^k; the contract checks them against its state hash and steps.
 */
import { concat, hexToBytes, toFunctionSelector, toHex, type Address, type Hex, type TransactionReceipt } from 'viem';
import { GridError } from '../../core/errors.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import type { ChainClients } from '../clients.js';
import { txGasCap } from '../coordinatorLayout.js';
import { packInt64, packInt64Into } from '../fixedPoint.js';
import { chunkDuals, chunkLocalVector, chunkRanges, chunkZ, type FixedPointState } from '../fixedPointCoordinator.js';
import { sendCoordinatorCalldata } from './sendCoordinatorTransaction.js';
import type { DigestSigningAccount } from './sendSignedTransaction.js';

/** 65 zero bytes: "this bus proves its vector by its own transaction". */
export const ownTransactionSignature: Hex = `0x${'00'.repeat(65)}`;

export interface SubmitIterationOptions {
  clients: ChainClients;
  account: DigestSigningAccount;
  address: Address;
  layout: CouplingLayout;
  periodsPerChunk: number;
  chunk: number;
  iteration: bigint;
  /** Every bus's full local vector (copyMap order). */
  localVectors: readonly (readonly bigint[])[];
  /** The state the contract holds (z^k, xi^k). */
  state: FixedPointState;
  /** Per bus: its signature over the chunk, or null when it proves the vector itself. */
  signatures: readonly (Hex | null)[];
  /** Gas limit (default: the EIP-7825 cap, which skips estimation). */
  gas?: bigint;
}

type PayloadOptions = Pick<SubmitIterationOptions, 'layout' | 'periodsPerChunk' | 'chunk' | 'localVectors' | 'state' | 'signatures'>;

function checkedRange(o: PayloadOptions): [number, number] {
  const range = chunkRanges(o.layout.periods, o.periodsPerChunk)[o.chunk];
  if (!range) throw new GridError(`chunk ${o.chunk} does not exist`, { field: 'chunk', fix: [`use 0 .. ${Math.ceil(o.layout.periods / o.periodsPerChunk) - 1}`] });
  if (o.signatures.length !== o.layout.busCount) {
    throw new GridError(`expected ${o.layout.busCount} signatures, got ${o.signatures.length}`, { field: 'signatures', fix: ['give one signature (or null) per bus'] });
  }
  return range;
}

/** The calldata arguments of submitIteration for one chunk. */
export function iterationPayload(o: PayloadOptions): { x: Hex; zPrev: Hex; dualsPrev: Hex; signatures: Hex } {
  const range = checkedRange(o);
  const x: bigint[] = [];
  for (let b = 0; b < o.layout.busCount; b++) x.push(...chunkLocalVector(o.layout, b, o.localVectors[b]!, range));
  return {
    x: toHex(packInt64(x, 'x')),
    zPrev: toHex(packInt64(chunkZ(o.layout, o.state.z, range), 'z')),
    dualsPrev: toHex(packInt64(chunkDuals(o.layout, o.state.xi, range), 'xi')),
    signatures: concat(o.signatures.map((s) => s ?? ownTransactionSignature)),
  };
}

const submitIterationSelector = hexToBytes(toFunctionSelector('submitIteration(uint64,uint16,bytes,bytes,bytes,bytes)'));

/**
 * The whole submitIteration call for one chunk (selector, head, the four byte arrays), packed
 * straight into one buffer: the same bytes as encodeFunctionData on iterationPayload (tested),
 * without ~20 k intermediate bigint arrays and hex strings.
 */
export function submitIterationCalldata(o: PayloadOptions & { iteration: bigint }): Uint8Array {
  const [t0, t1] = checkedRange(o);
  const { layout } = o;
  const span = t1 - t0;
  const localValues = (layout.totalCopies / layout.periods) * span;
  const zValues = layout.entries.length * span;
  const dualValues = localValues - zValues;
  const signatures = o.signatures.map((s) => (s === null ? null : hexToBytes(s)));
  const signatureBytes = signatures.reduce((n, s) => n + (s?.length ?? 65), 0);
  const lengths = [localValues * 8, zValues * 8, dualValues * 8, signatureBytes];
  const padded = (n: number) => Math.ceil(n / 32) * 32;
  const headBytes = 6 * 32;
  const out = new Uint8Array(4 + headBytes + lengths.reduce((n, len) => n + 32 + padded(len), 0));
  const view = new DataView(out.buffer);
  out.set(submitIterationSelector, 0);
  const word = (at: number, v: bigint) => view.setBigUint64(4 + at + 24, v);
  if (o.iteration < 0n || o.iteration >= 1n << 64n) throw new GridError(`iteration ${o.iteration} is not a uint64`, { field: 'iteration', fix: ['give the coordinator iteration (readCoordinatorStatus)'] });
  word(0, o.iteration);
  word(32, BigInt(o.chunk));
  const starts: number[] = [];
  let tail = headBytes;
  lengths.forEach((len, i) => {
    word(64 + 32 * i, BigInt(tail));
    word(tail, BigInt(len));
    starts.push(4 + tail + 32);
    tail += 32 + padded(len);
  });
  // x: bus, then copy (copyMap order), then period; zPrev: entry, then period; dualsPrev: chunkDuals
  const range: [number, number] = [t0, t1];
  let at = starts[0]!;
  for (let b = 0; b < layout.busCount; b++) at = packInt64Into(view, at, chunkLocalVector(layout, b, o.localVectors[b]!, range), `x (bus ${b})`);
  packInt64Into(view, starts[1]!, chunkZ(layout, o.state.z, range), 'z');
  packInt64Into(view, starts[2]!, chunkDuals(layout, o.state.xi, range), 'xi');
  at = starts[3]!;
  for (const s of signatures) {
    if (s) out.set(s, at);
    at += s?.length ?? 65;
  }
  return out;
}

export function submitIteration(o: SubmitIterationOptions): Promise<TransactionReceipt> {
  return sendCoordinatorCalldata({
    clients: o.clients, account: o.account, address: o.address, data: submitIterationCalldata(o), gas: o.gas ?? txGasCap,
  });
}
