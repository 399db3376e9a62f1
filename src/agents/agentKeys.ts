/**
 * Agent keys: each bus agent and each meter agent signs with its own key, either derived from a
 * mnemonic by account index (the local-run convention below) or given as a private key.
 */
import type { Hex, LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { GridError } from '../core/errors.js';
import { agentAccount } from '../chain/clients.js';

/** How an agent finds its key; serialisable so it can be handed to a worker or a process. */
export type AgentKey = { mnemonic: string; index: number } | { privateKey: Hex };

/** Account indices of a local run: operator 0, bus b at 1 + b, meter b at 1 + busCount + b. */
export const accountIndex = {
  operator: 0,
  bus: (b: number) => 1 + b,
  meter: (b: number, busCount: number) => 1 + busCount + b,
};

/** The local signing account of a key. @throws GridError on a malformed private key. */
export function accountOfKey(key: AgentKey): LocalAccount {
  if ('mnemonic' in key) return agentAccount(key.index, key.mnemonic);
  if (!/^0x[0-9a-fA-F]{64}$/.test(key.privateKey)) {
    throw new GridError('the private key is not 32 bytes of hex', { field: '--key', fix: ['give 0x followed by 64 hex digits'] });
  }
  return privateKeyToAccount(key.privateKey);
}
