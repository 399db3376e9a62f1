/** The well-known development mnemonic: Anvil funds its accounts, agents derive keys by index. */
export const testMnemonic = 'test test test test test test test test test test test junk';
