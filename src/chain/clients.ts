/**
 * viem clients for a local node and per-agent accounts derived from the test mnemonic
 * (account index = bus index); every account signs locally.
 */
import {
  createPublicClient, createTestClient, createWalletClient, defineChain, http,
  type Chain, type PublicClient, type TestClient, type WalletClient, type Transport,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { testMnemonic } from './testMnemonic.js';

/** The local chain (Anvil's default id 31337) at `rpcUrl`. */
export function localChain(rpcUrl: string, chainId = 31337): Chain {
  return defineChain({
    id: chainId,
    name: 'gridconsensus local',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

const accountCache = new Map<string, HDAccount>();

/** The local-signing account of agent `index` (bus index), derived from `mnemonic`. */
export function agentAccount(index: number, mnemonic: string = testMnemonic): HDAccount {
  const key = `${mnemonic}#${index}`;
  let account = accountCache.get(key);
  if (!account) {
    account = mnemonicToAccount(mnemonic, { addressIndex: index });
    accountCache.set(key, account);
  }
  return account;
}

export interface ChainClients {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  testClient: TestClient<'anvil', Transport, Chain>;
  /** A wallet client signing locally with `account`. */
  walletFor(account: HDAccount): WalletClient<Transport, Chain, HDAccount>;
}

/** Public, test and wallet clients for the node at `rpcUrl` (fast polling for automine). */
export function createChainClients(rpcUrl: string, chainId = 31337): ChainClients {
  const chain = localChain(rpcUrl, chainId);
  const transport = http(rpcUrl, { retryCount: 0, timeout: 60_000 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20 });
  const testClient = createTestClient({ chain, transport, mode: 'anvil', pollingInterval: 20 });
  return {
    chain,
    publicClient,
    testClient,
    walletFor: (account) => createWalletClient({ chain, transport, account, pollingInterval: 20 }),
  };
}

/** Clients for the node at `rpcUrl` with its own chain id (eth_chainId), for signing with the right EIP-712 domain. */
export async function connectChainClients(rpcUrl: string): Promise<ChainClients> {
  const chainId = await createChainClients(rpcUrl).publicClient.getChainId();
  return createChainClients(rpcUrl, chainId);
}
