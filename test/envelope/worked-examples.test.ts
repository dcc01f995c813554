// wire-format.md Ex-5 (05) and Ex-6 (06): the hand-derived fields decode through the engine, and the bytes
// are rebuilt independently with node:crypto from the stated DEK, IVs and plaintext.
import { createCipheriv, createHash } from 'node:crypto';
import { Kryptonite } from '../../src/engine';
import { MemoryEdekStore } from '../../src/envelope';
import { KEYSET_B } from '../keyset/fixtures';

const seq = (from: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => from + i));
const KRYO_HELLO = Buffer.from('0368656c6cef', 'hex');
const KEY_B_RAW = Buffer.from('Hello!WorldFUCK1abcdjkl$12345678', 'latin1');
const DEK = seq(0x00, 16);
const EX5 = 'azIwMDA1BGtleUIAAAAxATuaygIQERITFBUWFxgZGhujUqmgOC/U2ioJh5QzfJWRE4FwVfFcWb5Ffs6q9Vd60CAhIiMkJSYnKCkqK8Odd8jqHw+OryZ52mFKA40grklxOvg=';
const EX6 = 'azIwMDA2Bm15LWtla83PMFbos5XjD0ccJLUoAsMgISIjJCUmJygpKivDnXfI6h+gz/KCdlpxVBvvL5B6cq+Z';
const STAND_IN = Buffer.concat([Buffer.from([0x0a, 0x24]), seq(0, 36)]);

function gcm(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const c = createCipheriv(key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]);
}

describe('Ex-5: TINK/AES_GCM_ENVELOPE_KEYSET with KEK keyB', () => {
  it('the documented bytes equal an independent node:crypto construction', () => {
    const wrapped = Buffer.concat([Buffer.from('013b9aca02', 'hex'), gcm(KEY_B_RAW, seq(0x10, 12), DEK, Buffer.from('keyB'))]);
    expect(wrapped.toString('hex')).toBe('013b9aca02101112131415161718191a1ba352a9a0382fd4da2a098794337c959113817055f15c59be457eceaaf5577ad0');
    const len = Buffer.alloc(4);
    len.writeInt32BE(wrapped.length);
    const e = Buffer.concat([Buffer.from('k20005'), Buffer.from([4]), Buffer.from('keyB'), len, wrapped,
      gcm(DEK, seq(0x20, 12), KRYO_HELLO, Buffer.from('k205keyB'))]);
    expect(e.toString('base64')).toBe(EX5);
  });

  it('decodes to "hello" through the engine (only keyB configured, algorithm taken from the header)', async () => {
    const k = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_B }] });
    await expect(k.decryptValue(EX5, { name: 'f' })).resolves.toBe('hello');
    await expect(k.decryptRecord({ f: EX5, g: 1 }, [{ name: 'f' }])).resolves.toEqual({ f: 'hello', g: 1 });
  });
});

describe('Ex-6: TINK/AES_GCM_ENVELOPE_KMS with a stand-in KMS output', () => {
  it('the fingerprint and the documented bytes equal an independent node:crypto construction', () => {
    const fp = createHash('sha256').update(STAND_IN).digest().subarray(0, 16);
    expect(fp.toString('hex')).toBe('cdcf3056e8b395e30f471c24b52802c3');
    const e = Buffer.concat([Buffer.from('k20006'), Buffer.from([6]), Buffer.from('my-kek'), fp,
      gcm(DEK, seq(0x20, 12), KRYO_HELLO, Buffer.from('k206my-kek'))]);
    expect(e.toString('base64')).toBe(EX6);
  });

  it('decodes to "hello": store lookup by fingerprint, KEK unwrap with AAD = identifier, then AES-GCM', async () => {
    const store = new MemoryEdekStore();
    await store.put(createHash('sha256').update(STAND_IN).digest().subarray(0, 16), STAND_IN);
    const calls: string[] = [];
    const k = await Kryptonite.create({
      key_source: 'NONE',
      envelope_kek_configs: JSON.stringify([{ identifier: 'my-kek', kek_type: 'GCP', kek_uri: 'gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k', kek_config: '{}' }]),
    }, {
      envelope: {
        edekStore: store,
        createKek: () => ({
          encrypt: async () => { throw new Error('not used'); },
          decrypt: async (ct, aad) => {
            calls.push(`${Buffer.from(ct).toString('hex')}|${Buffer.from(aad).toString('utf8')}`);
            if (!Buffer.from(ct).equals(STAND_IN)) throw new Error('unexpected wrapped DEK');
            return Buffer.from(DEK);
          },
        }),
      },
    });
    await expect(k.decryptValue(EX6, { name: 'f' })).resolves.toBe('hello');
    await expect(k.decryptValue(EX6, { name: 'g' })).resolves.toBe('hello');
    expect(calls).toEqual([`${STAND_IN.toString('hex')}|my-kek`]); // cached after the first unwrap
  });
});
