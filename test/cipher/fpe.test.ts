// The FPE facade: Kryptonite's tweak convention (UTF-8 bytes of the configured string), the worked examples
// of wire-format.md §7.3 (Ex-4), caching, and the alphabets it refuses.

import { ConfigError, CryptoError } from '../../src/errors';
import { checkFpeTweak, createFpeCipher } from '../../src/cipher/fpe';
import { Ff3Cipher, prepareFf3Alphabet, prepareFf3Tweak } from '../../src/cipher/ff3';
import { FPE_ALPHABETS } from '../../src/cipher/fpe-alphabets';

/** Raw FPE key of keyset "keyC" in the spec's examples. */
const KEY_C = Buffer.from('554e4ed15044ebe6c8ca08f6cff06256', 'hex');
const { DIGITS, ALPHANUMERIC, ALPHANUMERIC_EXTENDED } = FPE_ALPHABETS;

describe('createFpeCipher', () => {
  const fpe = createFpeCipher(KEY_C);

  it.each([
    ['DIGITS', DIGITS, '0000000', '5544600070008000', '7057190450328965'],
    ['ALPHANUMERIC', ALPHANUMERIC, '0000000', 'HAPPYbirthday2025', 'aT5m8BH7aWLWElUxq'],
    ['DIGITS, tweak "mytweak"', DIGITS, 'mytweak', '5544600070008000', '3657575107648659'],
  ])('Ex-4 %s', (_name, alphabet, tweak, plaintext, ciphertext) => {
    expect(fpe.encrypt(plaintext, tweak, alphabet)).toBe(ciphertext);
    expect(fpe.decrypt(ciphertext, tweak, alphabet)).toBe(plaintext);
  });

  it('uses the tweak string\'s UTF-8 bytes, not hex: "0000000" is seven 0x30 bytes', () => {
    const core = new Ff3Cipher(KEY_C);
    const digits = prepareFf3Alphabet(DIGITS);
    const value = '5544600070008000';
    expect(fpe.encrypt(value, '0000000', DIGITS)).toBe(core.encrypt(value, prepareFf3Tweak(Buffer.alloc(7, 0x30)), digits));
    expect(fpe.encrypt(value, '0000000', DIGITS)).not.toBe(core.encrypt(value, prepareFf3Tweak(Buffer.alloc(7, 0)), digits));
    // Multi-byte characters count in bytes: "é" + 5 ASCII = 7 bytes (FF3-1).
    expect(fpe.encrypt(value, '\u00e9abcde', DIGITS))
      .toBe(core.encrypt(value, prepareFf3Tweak(Buffer.from('c3a96162636465', 'hex')), digits));
  });

  it('an 8-byte tweak string selects FF3 with the 64-bit tweak', () => {
    const core = new Ff3Cipher(KEY_C);
    const ct = fpe.encrypt('HAPPYbirthday2025', 'tweak-08', ALPHANUMERIC);
    expect(ct).toBe(core.encrypt('HAPPYbirthday2025', prepareFf3Tweak(Buffer.from('tweak-08')), prepareFf3Alphabet(ALPHANUMERIC)));
    expect(fpe.decrypt(ct, 'tweak-08', ALPHANUMERIC)).toBe('HAPPYbirthday2025');
  });

  it.each([
    ['a hex-written tweak', '30303030303030', 14],
    ['six ASCII characters', '000000', 6],
    ['three 2-byte characters', '\u00e9\u00e9\u00e9', 6],
    ['empty', '', 0],
  ])('refuses %s, naming its UTF-8 byte length', (_name, tweak, bytes) => {
    const err = (() => { try { fpe.encrypt('123456', tweak, DIGITS); } catch (e) { return e; } return undefined; })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`FPE tweak length ${bytes} bytes is invalid`);
  });

  it('refuses a non-string tweak, naming its type', () => {
    expect(() => fpe.encrypt('123456', 1234567 as never, DIGITS)).toThrow(/FPE tweak must be a string, got a number/);
  });

  it('ALPHANUMERIC_EXTENDED round trips values with § ° space and symbols', () => {
    const value = 'Grüße? no: "§42°C" & {x}|~'.replace('ü', 'u').replace('ß', 's');
    const ct = fpe.encrypt(value, '0000000', ALPHANUMERIC_EXTENDED);
    expect(ct).toHaveLength(value.length);
    expect(ct).not.toBe(value);
    expect(fpe.decrypt(ct, '0000000', ALPHANUMERIC_EXTENDED)).toBe(value);
  });

  it('keeps cached tweaks and alphabets apart', () => {
    const hex = '0123456789ABCDEF';
    const values = ['5544600070008000', '5544600070008000'];
    const a = fpe.encrypt(values[0]!, '0000000', DIGITS);
    const b = fpe.encrypt(values[1]!, '0000000', hex);
    const c = fpe.encrypt(values[0]!, '1111111', DIGITS);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(fpe.encrypt(values[0]!, '0000000', DIGITS)).toBe(a);
    expect(createFpeCipher(KEY_C).encrypt(values[1]!, '0000000', hex)).toBe(b);
  });

  it('stays correct past the cache limit', () => {
    const expected = fpe.encrypt('123456', '0000000', DIGITS);
    for (let i = 0; i < 300; i++) fpe.encrypt('123456', String(i).padStart(7, 'x'), DIGITS);
    expect(fpe.encrypt('123456', '0000000', DIGITS)).toBe(expected);
  });

  it('refuses alphabets holding UTF-16 surrogates (non-BMP characters), naming the position', () => {
    expect(() => fpe.encrypt('0101', '0000000', '01\ud83d\ude00')).toThrow(/surrogate at position 2/);
    expect(() => fpe.encrypt('0101', '0000000', '01\ud83d\ude00')).toThrow(ConfigError);
  });

  it('passes on the core errors: bad key, bad alphabet, bad value', () => {
    expect(() => createFpeCipher(new Uint8Array(20))).toThrow(CryptoError);
    expect(() => fpe.encrypt('123456', '0000000', '0')).toThrow(/at least 2 characters/);
    expect(() => fpe.encrypt('12a456', '0000000', DIGITS)).toThrow(/position 2/);
    expect(() => fpe.encrypt(42 as never, '0000000', DIGITS)).toThrow(/got a number/);
  });
});

describe('checkFpeTweak', () => {
  it('accepts 7- and 8-byte tweaks and names the option path otherwise', () => {
    expect(() => checkFpeTweak('0000000', 'cipher_fpe_tweak')).not.toThrow();
    expect(() => checkFpeTweak('12345678', 'cipher_fpe_tweak')).not.toThrow();
    expect(() => checkFpeTweak('123456789', 'field_config[2].fpeTweak'))
      .toThrow(/FPE tweak length 9 bytes is invalid.*\(option 'field_config\[2\]\.fpeTweak'\)/);
    expect(() => checkFpeTweak(undefined as never, 'cipher_fpe_tweak')).toThrow(ConfigError);
  });
});
