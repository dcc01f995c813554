// Algorithm 05 decoded by a real Tink (Python tink 1.16.1, the oracle of test/interop/tink): the wrapped DEK
// opens with the KEK keyset and AAD = key id, and the data part opens with the DEK as a RAW AesGcmKey and
// AAD k2‖05‖keyId — for wire-format.md Ex-5 and for fields this library writes. Needs scripts/testinfra/tink-oracle.sh.
import { Kryptonite } from '../../src/engine';
import { TinkOracle } from '../interop/tink/tink-oracle-client';
import { KEYSET_B } from '../keyset/fixtures';
import { parse } from './support';

const EX5 = 'azIwMDA1BGtleUIAAAAxATuaygIQERITFBUWFxgZGhujUqmgOC/U2ioJh5QzfJWRE4FwVfFcWb5Ffs6q9Vd60CAhIiMkJSYnKCkqK8Odd8jqHw+OryZ52mFKA40grklxOvg=';
let tink: TinkOracle;

beforeAll(async () => { tink = await TinkOracle.start(); });
afterAll(async () => { await tink?.stop(); });

/** A one-key Tink JSON keyset holding `dek` as a RAW AesGcmKey (proto: field 3 = key_value). */
function rawDekKeyset(dek: Buffer): string {
  const value = Buffer.concat([Buffer.from([0x1a, dek.length]), dek]).toString('base64');
  return JSON.stringify({ primaryKeyId: 42, key: [{ keyData: { typeUrl: 'type.googleapis.com/google.crypto.tink.AesGcmKey', value, keyMaterialType: 'SYMMETRIC' },
    status: 'ENABLED', keyId: 42, outputPrefixType: 'RAW' }] });
}

async function tinkDecode05(field: string, kekKeyset: object): Promise<{ dek: Buffer; plaintext: Buffer }> {
  const p = parse(field);
  expect(p.alg).toBe('05');
  const len = p.c.readInt32BE(0);
  const dek = Buffer.from(await tink.get({ op: 'aeadDec', keyset: JSON.stringify(kekKeyset), data: p.c.subarray(4, 4 + len).toString('base64'),
    ad: Buffer.from(p.keyId).toString('base64') }, 'out'), 'base64');
  const plaintext = Buffer.from(await tink.get({ op: 'aeadDec', keyset: rawDekKeyset(dek), data: p.c.subarray(4 + len).toString('base64'),
    ad: Buffer.from(`k205${p.keyId}`).toString('base64') }, 'out'), 'base64');
  return { dek, plaintext };
}

it('Tink decodes Ex-5: DEK 00..0f, plaintext Kryo "hello"', async () => {
  const { dek, plaintext } = await tinkDecode05(EX5, KEYSET_B);
  expect(dek.toString('hex')).toBe('000102030405060708090a0b0c0d0e0f');
  expect(plaintext.toString('hex')).toBe('0368656c6cef');
});

it('Tink decodes fields written here, 128- and 256-bit DEKs; the engine reads a field whose DEK Tink wrapped', async () => {
  for (const bits of [128, 256]) {
    const k = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_B }], dek_key_bits: bits });
    const field = await k.encryptValue('hello', { name: 'f', algorithm: 'TINK/AES_GCM_ENVELOPE_KEYSET', keyId: 'keyB' }) as string;
    const { dek, plaintext } = await tinkDecode05(field, KEYSET_B);
    expect(dek.length).toBe(bits / 8);
    expect(plaintext.toString('hex')).toBe('0368656c6cef');
  }
  // the other way: Tink wraps a DEK and encrypts the data; the engine decodes the assembled field
  const dek = Buffer.alloc(32, 7);
  const wrapped = Buffer.from(await tink.get({ op: 'aeadEnc', keyset: JSON.stringify(KEYSET_B), data: dek.toString('base64'), ad: Buffer.from('keyB').toString('base64') }, 'out'), 'base64');
  const data = Buffer.from(await tink.get({ op: 'aeadEnc', keyset: rawDekKeyset(dek), data: Buffer.from('0368656c6cef', 'hex').toString('base64'),
    ad: Buffer.from('k205keyB').toString('base64') }, 'out'), 'base64');
  const len = Buffer.alloc(4);
  len.writeInt32BE(wrapped.length);
  const field = Buffer.concat([Buffer.from('k20005'), Buffer.from([4]), Buffer.from('keyB'), len, wrapped, data]).toString('base64');
  const k = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_B }] });
  await expect(k.decryptValue(field, { name: 'f' })).resolves.toBe('hello');
});
