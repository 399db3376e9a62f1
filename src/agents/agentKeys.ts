/**
 * Agent keys: each bus agent and each meter agent signs with its own key, either derived from a
 * mnemonic by account index (the local-run convention below) or given as a private key.
 */
import { pbkdf2Sync } from 'node:crypto';
import type { Hex, HDAccount, LocalAccount } from 'viem';
import { toHex } from 'viem';
import { HDKey, privateKeyToAccount } from 'viem/accounts';
import { GridError } from '../core/errors.js';

/** How an agent finds its key; serialisable so it can be handed to a worker or a process. */
export type AgentKey = { mnemonic: string; index: number } | { privateKey: Hex };

/**
 * Account indices of a local run: operator 0, bus b at 1 + b, meter b at 1 + busCount + b, the
 * batch poster at 1 + 2·busCount.
 */
export const accountIndex = {
  operator: 0,
  poster: (busCount: number) => 1 + 2 * busCount,
  bus: (b: number) => 1 + b,
  meter: (b: number, busCount: number) => 1 + busCount + b,
};

/** Per mnemonic, the key at m/44'/60'/0'/0 (every account is one child of it). */
const accountParents = new Map<string, HDKey>();
const accounts = new Map<string, HDAccount>();

/**
 * The account at m/44'/60'/0'/0/index of `mnemonic` (what viem's mnemonicToAccount gives), with
 * the BIP-39 seed (PBKDF2-HMAC-SHA512, 2048 rounds) computed once per mnemonic by Node's native
 * crypto, and the parent m/44'/60'/0'/0 derived once: deriving 113 SCE-56 accounts one by one
 * in JavaScript took seconds (each full path costs five child derivations; now one each).
 */
export function mnemonicAccount(mnemonic: string, index: number): HDAccount {
  const key = `${mnemonic}#${index}`;
  let account = accounts.get(key);
  if (!account) {
    let parent = accountParents.get(mnemonic);
    if (!parent) {
      const seed = pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
      parent = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
      accountParents.set(mnemonic, parent);
    }
    // What hdKeyToAccount does for the full path, from the cached parent.
    const child = parent.deriveChild(index);
    account = { ...privateKeyToAccount(toHex(child.privateKey!)), getHdKey: () => child, source: 'hd' };
    accounts.set(key, account);
  }
  return account;
}

/** The local signing account of a key. @throws GridError on a malformed private key. */
export function accountOfKey(key: AgentKey): LocalAccount {
  if ('mnemonic' in key) return mnemonicAccount(key.mnemonic, key.index);
  if (!/^0x[0-9a-fA-F]{64}$/.test(key.privateKey)) {
    throw new GridError('the private key is not 32 bytes of hex', { field: '--key', fix: ['give 0x followed by 64 hex digits'] });
  }
  return privateKeyToAccount(key.privateKey);
}
