/**
 * Sends a locally signed EIP-1559 transaction and returns its receipt, in one request where the
 * node can: eth_sendRawTransactionSync (EIP-7966; Anvil mines and answers with the receipt),
 * else eth_sendRawTransaction and receipt polling. The nonce is tracked per account and the fees
 * are fixed per node client (2 · base fee + tip, read at its first send), so a send costs no
 * other round trip; both are read again, and the send retried once, when the node rejects it
 * (nonce too low, fee below the base fee). viem's sendTransaction read nonce, fees and block
 * before every send: ~20 ms of CPU and three round trips per iteration (docs/chain-design.md).
 *
 * Assumes the account's transactions go through this function or read the pending nonce
 * (viem's wallet does); a chain rewound under a client (evm_revert after a send) needs a new
 * client: else the next send sits behind a nonce gap, Anvil gives up waiting after 30 s, the
 * receipt poll after 180 s (a GridError), and the nonce is read again for the send after.
 */
import {
  BaseError, TimeoutError, bytesToHex, formatTransactionReceipt, hexToBytes,
  type Address, type Chain, type Client, type Hash, type LocalAccount, type RpcTransactionReceipt, type TransactionReceipt, type Transport,
} from 'viem';
import { estimateMaxPriorityFeePerGas, getBlock, getTransactionCount } from 'viem/actions';
import { GridError } from '../../core/errors.js';
import { serializeEip1559Transaction, splitSignature } from '../eip1559Transaction.js';
import { keccak256Bytes } from '../keccak256.js';
import { waitForReceipt } from './waitForReceipt.js';

/** A local account that can sign a bare digest (mnemonic- or private-key-derived). */
export type DigestSigningAccount = LocalAccount & { sign: NonNullable<LocalAccount['sign']> };

export interface SignedTransactionRequest {
  client: Client<Transport, Chain>;
  account: DigestSigningAccount;
  to: Address;
  data: Uint8Array;
  gas: bigint;
}

interface AccountSendState {
  /** Next nonce to use; undefined = read the pending count first. */
  nonce: number | undefined;
  /** Sends of one account run one after the other, so a rejected one leaves no nonce gap. */
  queue: Promise<unknown>;
}

interface NodeSendState {
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | undefined;
  /** False once the node answered that eth_sendRawTransactionSync does not exist. */
  syncSend: boolean;
  accounts: Map<string, AccountSendState>;
}

const nodeStates = new WeakMap<Client, NodeSendState>();

function nodeState(client: Client): NodeSendState {
  let state = nodeStates.get(client);
  if (!state) {
    state = { fees: undefined, syncSend: true, accounts: new Map() };
    nodeStates.set(client, state);
  }
  return state;
}

/** JSON-RPC error code of a viem error, if any. */
function rpcCode(err: unknown): number | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const withCode = err.walk((e) => typeof (e as { code?: unknown }).code === 'number') as { code?: number } | null;
  return withCode?.code;
}

/** The node refused the transaction for a reason a fresh nonce or fee can fix. */
function isStaleSendState(err: unknown): boolean {
  const text = err instanceof BaseError ? `${err.shortMessage} ${err.details}` : String(err);
  return rpcCode(err) === -32003 || /nonce|fee|underpriced/i.test(text);
}

/** The node does not know eth_sendRawTransactionSync (method not found / not supported). */
function isUnknownMethod(err: unknown): boolean {
  const code = rpcCode(err);
  const text = err instanceof BaseError ? `${err.shortMessage} ${err.details}` : String(err);
  return code === -32601 || code === -32004 || /method.*(not found|not supported|does not exist|unknown)/i.test(text);
}

/**
 * Accepted but not mined within the wait: EIP-7966's code 4, Anvil's -32603 "Transaction
 * confirmation timeout" (30 s; also what a nonce ahead of the chain gets), or the HTTP call's own
 * timeout. The transaction may still be mined, so it is looked up by hash.
 */
function isSyncTimeout(err: unknown): boolean {
  if (err instanceof BaseError && err.walk((e) => e instanceof TimeoutError)) return true;
  const text = err instanceof BaseError ? `${err.shortMessage} ${err.details}` : String(err);
  return rpcCode(err) === 4 || /confirmation timeout|timed out waiting/i.test(text);
}

async function readFees(client: Client<Transport, Chain>): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  const [block, tip] = await Promise.all([getBlock(client, { blockTag: 'latest' }), estimateMaxPriorityFeePerGas(client)]);
  const baseFee = block.baseFeePerGas ?? 0n;
  // 2 · base fee: room for six full blocks in a row (+12.5 % each) before a send is rejected and the fees are read again.
  return { maxFeePerGas: 2n * baseFee + tip, maxPriorityFeePerGas: tip };
}

async function signAndSend(o: SignedTransactionRequest, node: NodeSendState, account: AccountSendState): Promise<TransactionReceipt> {
  node.fees ??= await readFees(o.client);
  account.nonce ??= await getTransactionCount(o.client, { address: o.account.address, blockTag: 'pending' });
  const fields = { chainId: o.client.chain.id, nonce: account.nonce, ...node.fees, gas: o.gas, to: o.to, value: 0n, data: o.data };
  const digest = keccak256Bytes(serializeEip1559Transaction(fields));
  const signature = splitSignature(hexToBytes(await o.account.sign({ hash: bytesToHex(digest) })));
  const raw = serializeEip1559Transaction(fields, signature);
  const rawHex = `0x${Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex')}` as const;
  if (node.syncSend) {
    try {
      const receipt = await o.client.request({ method: 'eth_sendRawTransactionSync', params: [rawHex] } as never) as RpcTransactionReceipt;
      account.nonce++;
      return formatTransactionReceipt(receipt);
    } catch (err) {
      if (isSyncTimeout(err)) {
        // read the nonce again next time: right whether this one is mined later or sits behind a gap
        account.nonce = undefined;
        return waitForReceipt(o.client, bytesToHex(keccak256Bytes(raw)));
      }
      if (!isUnknownMethod(err)) throw err;
      node.syncSend = false;
    }
  }
  const hash = await o.client.request({ method: 'eth_sendRawTransaction', params: [rawHex] }) as Hash;
  account.nonce++;
  return waitForReceipt(o.client, hash);
}

/** Signs and sends `data` to `to` with the given gas limit; resolves with the mined receipt (any status). */
export function sendSignedTransaction(o: SignedTransactionRequest): Promise<TransactionReceipt> {
  const node = nodeState(o.client);
  const key = o.account.address.toLowerCase();
  let account = node.accounts.get(key);
  if (!account) {
    account = { nonce: undefined, queue: Promise.resolve() };
    node.accounts.set(key, account);
  }
  const state = account;
  const send = async (): Promise<TransactionReceipt> => {
    try {
      return await signAndSend(o, node, state);
    } catch (err) {
      state.nonce = undefined;
      node.fees = undefined;
      if (err instanceof GridError || !isStaleSendState(err)) throw err;
      return signAndSend(o, node, state);
    }
  };
  const result = state.queue.then(send, send);
  state.queue = result.catch(() => undefined);
  return result;
}
