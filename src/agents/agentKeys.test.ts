import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mnemonicToAccount } from 'viem/accounts';
import { testMnemonic } from '../chain/testMnemonic.js';
import { accountOfKey, mnemonicAccount } from './agentKeys.js';

test('mnemonicAccount derives the same accounts as viem\'s mnemonicToAccount (m/44\'/60\'/0\'/0/i)', () => {
  const other = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
  for (const [mnemonic, index] of [[testMnemonic, 0], [testMnemonic, 1], [testMnemonic, 113], [other, 5]] as const) {
    const reference = mnemonicToAccount(mnemonic, { addressIndex: index });
    const mine = mnemonicAccount(mnemonic, index);
    assert.equal(mine.address, reference.address, `${index}`);
    assert.equal(mine.publicKey, reference.publicKey);
    assert.equal(accountOfKey({ mnemonic, index }).address, reference.address);
  }
});
