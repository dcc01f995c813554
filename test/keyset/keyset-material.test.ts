// FULL ({identifier, material}) and RAW (bare material) forms, plain vs encrypted detection, duplicates.

import { KeysetError } from '../../src/errors';
import { isEncryptedKeysetJson, parseFullKeysetEntries, parseFullKeysetEntry, parseKeysetMaterial, toFullForm } from '../../src/keyset/keyset-material';
import { Keyset } from '../../src/keyset/keyset';
import { KEYSET_9, KEYSET_B, clone } from './fixtures';

const encrypted = { encryptedKeyset: 'AQIDBA==', keysetInfo: { primaryKeyId: 1, keyInfo: [] } };

describe('keyset material forms', () => {
  it('detects encrypted vs plain material', () => {
    expect(isEncryptedKeysetJson(encrypted)).toBe(true);
    expect(isEncryptedKeysetJson(KEYSET_B)).toBe(false);
    expect(isEncryptedKeysetJson(null)).toBe(false);
    expect(isEncryptedKeysetJson([encrypted])).toBe(false);
  });

  it('RAW form: plain material is parsed and validated, encrypted material is shape-checked and kept', () => {
    const plain = parseKeysetMaterial(JSON.stringify(KEYSET_B), { identifier: 'keyB' });
    expect(plain.kind).toBe('plain');
    if (plain.kind === 'plain') expect(plain.keyset.identifier).toBe('keyB');
    expect(parseKeysetMaterial(encrypted)).toEqual({ kind: 'encrypted', encrypted });
    expect(() => parseKeysetMaterial({ encryptedKeyset: 5 }, { identifier: 's' })).toThrow(/keyset 's' at encryptedKeyset: expected a string/);
  });

  it('FULL form: {identifier, material} with the identifier carried into errors', () => {
    const e = parseFullKeysetEntry({ identifier: 'keyB', material: KEYSET_B });
    expect(e.identifier).toBe('keyB');
    expect(e.material.kind).toBe('plain');
    const bad = clone(KEYSET_B) as any;
    bad.key[0].status = 'DESTROYED';
    expect(() => parseFullKeysetEntry({ identifier: 'keyB', material: bad })).toThrow(/^keyset 'keyB' at key\[0\] \(keyId 1000000002\): status 'DESTROYED'/);
    expect(() => parseFullKeysetEntry({ identifier: 'keyB', material: KEYSET_B, extra: 1 }, 'cipher_data_keys[3]')).toThrow(/at cipher_data_keys\[3\]: unknown property 'extra'/);
    expect(() => parseFullKeysetEntry({ material: KEYSET_B }, 'cipher_data_keys[0]')).toThrow(/at cipher_data_keys\[0\].identifier: is missing/);
    expect(() => parseFullKeysetEntry({ identifier: '', material: KEYSET_B })).toThrow(/must not be empty/);
  });

  it('a FULL list keeps identical duplicates once and rejects conflicting ones', () => {
    const list = [{ identifier: 'keyB', material: KEYSET_B }, { identifier: 'key9', material: KEYSET_9 }, { identifier: 'keyB', material: clone(KEYSET_B) }];
    expect(parseFullKeysetEntries(JSON.stringify(list)).map((e) => e.identifier)).toEqual(['keyB', 'key9']);
    const conflicting = [...list, { identifier: 'key9', material: KEYSET_B }];
    expect(() => parseFullKeysetEntries(conflicting)).toThrow(KeysetError);
    expect(() => parseFullKeysetEntries(conflicting)).toThrow(/at cipher_data_keys\[3\].identifier: identifier 'key9' appears twice with different material/);
    expect(() => parseFullKeysetEntries({})).toThrow(/at cipher_data_keys: expected a JSON array/);
  });

  it('writes the FULL form for plain and encrypted material', () => {
    expect(toFullForm('keyB', Keyset.fromTinkJson(KEYSET_B))).toEqual({ identifier: 'keyB', material: KEYSET_B });
    expect(toFullForm('e', encrypted)).toEqual({ identifier: 'e', material: encrypted });
  });
});
