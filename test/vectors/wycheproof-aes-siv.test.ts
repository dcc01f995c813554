// Every Wycheproof AES-SIV-CMAC case with Tink's AesSivKey parameters (512-bit key, one AD component).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AesSiv } from '../../src/cipher/aes-siv';
import { CryptoError } from '../../src/errors';

interface SivCase { tcId: number; comment: string; key: string; aad: string; msg: string; ct: string; result: string }
interface SivGroup { keySize: number; tests: SivCase[] }

const file = join(__dirname, '..', '..', '..', 'shared', 'vectors', 'wycheproof', 'aes_siv_cmac_test.json');
const all = JSON.parse(readFileSync(file, 'utf8')) as { numberOfTests: number; testGroups: SivGroup[] };
const cases = all.testGroups.filter((g) => g.keySize === 512).flatMap((g) => g.tests);
const valid = cases.filter((t) => t.result === 'valid');
const invalid = cases.filter((t) => t.result === 'invalid');
const other = cases.filter((t) => t.result !== 'valid' && t.result !== 'invalid');
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe(`Wycheproof AES-SIV-CMAC, Tink parameters: ${cases.length} of ${all.numberOfTests} cases (${valid.length} valid, ${invalid.length} invalid)`, () => {
  it(`runs a non-empty set of both kinds: ${valid.length} valid, ${invalid.length} invalid, ${other.length} other`, () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
    expect(other).toEqual([]);
  });

  it.each(valid.map((t) => [t.tcId, t.comment, t] as const))('valid tcId %i (%s): decrypts, and encrypts to the same bytes', (_id, _c, t) => {
    const siv = new AesSiv(hex(t.key));
    expect(siv.decryptDeterministically(hex(t.ct), hex(t.aad)).toString('hex')).toBe(t.msg);
    expect(siv.encryptDeterministically(hex(t.msg), hex(t.aad)).toString('hex')).toBe(t.ct);
  });

  it.each(invalid.map((t) => [t.tcId, t.comment, t] as const))('invalid tcId %i (%s): rejected', (_id, _c, t) => {
    const siv = new AesSiv(hex(t.key));
    expect(() => siv.decryptDeterministically(hex(t.ct), hex(t.aad))).toThrow(CryptoError);
  });
});
