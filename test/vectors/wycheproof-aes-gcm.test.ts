// Every Wycheproof AES-GCM case with Tink's AesGcmKey parameters (96-bit IV, 128-bit tag, 128/256-bit key).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AesGcm, encryptAesGcmWithIv } from '../../src/cipher/aes-gcm';
import { CryptoError } from '../../src/errors';

interface GcmCase { tcId: number; comment: string; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }
interface GcmGroup { keySize: number; ivSize: number; tagSize: number; tests: GcmCase[] }

const file = join(__dirname, '..', '..', '..', 'shared', 'vectors', 'wycheproof', 'aes_gcm_test.json');
const all = JSON.parse(readFileSync(file, 'utf8')) as { numberOfTests: number; testGroups: GcmGroup[] };
const groups = all.testGroups.filter((g) => g.ivSize === 96 && g.tagSize === 128 && (g.keySize === 128 || g.keySize === 256));
const cases = groups.flatMap((g) => g.tests.map((t) => ({ ...t, keySize: g.keySize })));
const valid = cases.filter((t) => t.result === 'valid');
const invalid = cases.filter((t) => t.result === 'invalid');
const other = cases.filter((t) => t.result !== 'valid' && t.result !== 'invalid');
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe(`Wycheproof AES-GCM, Tink parameters: ${cases.length} of ${all.numberOfTests} cases (${valid.length} valid, ${invalid.length} invalid)`, () => {
  it(`runs a non-empty set of both kinds: ${valid.length} valid, ${invalid.length} invalid, ${other.length} other`, () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
    expect(other).toEqual([]);
    expect(new Set(cases.map((t) => t.keySize))).toEqual(new Set([128, 256]));
  });

  it.each(valid.map((t) => [t.tcId, t.keySize, t.comment, t] as const))('valid tcId %i (AES-%i %s): decrypts and re-encrypts', (_id, _ks, _c, t) => {
    const gcm = new AesGcm(hex(t.key));
    const wire = Buffer.concat([hex(t.iv), hex(t.ct), hex(t.tag)]);
    expect(gcm.decrypt(wire, hex(t.aad)).toString('hex')).toBe(t.msg);
    expect(encryptAesGcmWithIv(gcm, hex(t.iv), hex(t.msg), hex(t.aad)).toString('hex')).toBe(wire.toString('hex'));
  });

  it.each(invalid.map((t) => [t.tcId, t.keySize, t.comment, t] as const))('invalid tcId %i (AES-%i %s): rejected', (_id, _ks, _c, t) => {
    const gcm = new AesGcm(hex(t.key));
    const wire = Buffer.concat([hex(t.iv), hex(t.ct), hex(t.tag)]);
    expect(() => gcm.decrypt(wire, hex(t.aad))).toThrow(CryptoError);
  });
});
