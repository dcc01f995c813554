import { Kryptonite } from '../src/engine';
import { CryptoError, KryptoniteError } from '../src/errors';
import { KEYSET_9, KEYSET_A, KEYSET_B, KEYSET_C_FPE } from './keyset/fixtures';

const keys = [
  { identifier: 'keyA', material: KEYSET_A },
  { identifier: 'keyB', material: KEYSET_B },
  { identifier: 'key9', material: KEYSET_9 },
  { identifier: 'keyC', material: KEYSET_C_FPE },
];

async function engine(extra: Record<string, unknown> = {}): Promise<Kryptonite> {
  return Kryptonite.create({ cipher_data_keys: keys, cipher_data_key_identifier: 'keyB', ...extra });
}

async function failure(p: Promise<unknown>): Promise<KryptoniteError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KryptoniteError);
    return err as KryptoniteError;
  }
  throw new Error('expected a failure');
}

describe('worked examples of wire-format.md through the engine', () => {
  it('Ex-1: decrypts the k2 AES-GCM field to "hello"', async () => {
    const k = await engine();
    await expect(k.decryptValue('azIwMDAyBGtleUIBO5rKAgABAgMEBQYHCAkKC6sFtZ/RJJNUWBstETq8JEyx5eLc6fs=', { name: 'f' })).resolves.toBe('hello');
  });

  it('Ex-2: decrypts the legacy k1 field to "hello"', async () => {
    const k = await engine();
    await expect(k.decryptValue('KAE7msoCAAECAwQFBgcICQoLqwW1n9EkMmOPhuXTyPlbwJIa78rqJQwwsmtlecJrsQ==', { name: 'f' })).resolves.toBe('hello');
  });

  it('Ex-3: AES-SIV with KRYO gives exactly the documented field', async () => {
    const k = await engine();
    const field = { name: 'f', algorithm: 'TINK/AES_GCM_SIV', keyId: 'key9' } as const;
    await expect(k.encryptValue('hello', field)).resolves.toBe('azIwMDAzBGtleTkBO5rKA/DDLRBWkg5MuESIilGWaBPl92zTdTc=');
  });

  it('§4.5: AES-SIV with AVRO gives exactly the documented field', async () => {
    const k = await engine({ serde_type: 'AVRO' });
    const field = { name: 'f', algorithm: 'TINK/AES_GCM_SIV', keyId: 'key9' } as const;
    const ct = await k.encryptValue('hello', field);
    expect(ct).toBe('azIwMTAzBGtleTkBO5rKA0DyjO3Z6GHAJKsxryqIUPcT8LAokAm7RNRmBMMOal3V2Zo=');
    // a KRYO-configured reader follows the envelope's serde code
    await expect((await engine()).decryptValue(ct, field)).resolves.toBe('hello');
  });

  it('Ex-4: FPE FF3-1 card number with key keyC', async () => {
    const k = await engine();
    const field = { name: 'card', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'keyC', fpeAlphabetType: 'DIGITS' } as const;
    await expect(k.encryptValue('5544600070008000', field)).resolves.toBe('7057190450328965');
    await expect(k.decryptValue('7057190450328965', field)).resolves.toBe('5544600070008000');
    await expect(k.encryptValue('5544600070008000', { ...field, fpeTweak: 'mytweak' })).resolves.toBe('3657575107648659');
  });
});

describe('record processing', () => {
  const order = {
    id: 42,
    customer: { email: 'ann@example.com', phone: '+44 20 7946 0000', tier: 'gold', address: { city: 'Leeds', zip: 'LS1' } },
    items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 1 }],
    tags: ['x', null, 'z'],
    note: null,
    card: '4111111111111111',
  };

  it('encrypts exactly the configured leaves, leaves everything else and the input untouched', async () => {
    const k = await engine();
    const before = JSON.parse(JSON.stringify(order)) as typeof order;
    const enc = await k.encryptRecord(order, [{ name: 'customer.email' }, { name: 'customer.address.zip' }, { name: 'missing.field' }]);
    expect(order).toEqual(before);
    const c = enc.customer as Record<string, unknown>;
    expect(c.email).toMatch(/^azIwMDAy/);
    expect((c.address as Record<string, unknown>).zip).toMatch(/^azIwMDAy/);
    expect({ ...enc, customer: { ...c, email: 'E', address: { ...(c.address as object), zip: 'Z' } } })
      .toEqual({ ...order, customer: { ...order.customer, email: 'E', address: { ...order.customer.address, zip: 'Z' } } });
    expect(enc.customer).not.toBe(order.customer);
    expect(enc.items).toBe(order.items);
    expect(await k.decryptRecord(enc, [{ name: 'customer.email' }, { name: 'customer.address.zip' }])).toEqual(order);
  });

  it('ELEMENT keeps arrays and objects and encrypts every leaf; OBJECT makes one ciphertext', async () => {
    const k = await engine();
    const fields = [{ name: 'items' }, { name: 'tags' }, { name: 'customer', fieldMode: 'OBJECT' as const }];
    const enc = await k.encryptRecord(order, fields);
    const items = enc.items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(Object.keys(items[0] as object)).toEqual(['sku', 'qty']);
    for (const item of items) for (const v of Object.values(item)) expect(v).toMatch(/^azIwMDAy/);
    expect((enc.tags as unknown[]).every((t) => typeof t === 'string' && t.startsWith('azIwMDAy'))).toBe(true);
    expect(typeof enc.customer).toBe('string');
    expect(await k.decryptRecord(enc, fields)).toEqual(order);
  });

  it('a nested config inside an ELEMENT container overrides the parent settings for its path', async () => {
    const k = await engine();
    const fields = [{ name: 'customer' }, { name: 'customer.tier', algorithm: 'TINK/AES_GCM_SIV' as const, keyId: 'key9' },
      { name: 'customer.address', fieldMode: 'OBJECT' as const }];
    const enc = await k.encryptRecord(order, fields);
    const c = enc.customer as Record<string, unknown>;
    expect(c.email).toMatch(/^azIwMDAy/);
    expect(c.tier).toMatch(/^azIwMDAz/);
    expect(typeof c.address).toBe('string');
    const again = await k.encryptRecord(order, fields);
    expect((again.customer as Record<string, unknown>).tier).toBe(c.tier);
    expect(await k.decryptRecord(enc, fields)).toEqual(order);
  });

  it('round-trips every type with each algorithm and serde', async () => {
    const doc = { s: 'héllo 😀', e: '', i: 7, neg: -2147483649, big: 2 ** 53 - 1, d: 3.25, t: true, f: false, n: null,
      arr: [1, 'two', [3, null], { four: 4 }], obj: { a: { b: [true] } } };
    for (const serde of ['KRYO', 'AVRO']) {
      for (const [algorithm, keyId] of [['TINK/AES_GCM', 'keyA'], ['TINK/AES_GCM_SIV', 'key9']] as const) {
        for (const fieldMode of ['ELEMENT', 'OBJECT'] as const) {
          const k = await engine({ serde_type: serde });
          const fields = Object.keys(doc).map((name) => ({ name, algorithm, keyId, fieldMode }));
          const enc = await k.encryptRecord(doc, fields);
          for (const name of ['s', 'i', 'n', 'obj']) expect(enc[name]).not.toEqual(doc[name as keyof typeof doc]);
          expect(await k.decryptRecord(enc, fields)).toEqual(doc);
        }
      }
    }
  });

  it('encrypts null values (they decrypt back to null), except FPE which passes null through', async () => {
    const k = await engine();
    const enc = await k.encryptRecord({ a: null, b: null }, [{ name: 'a' }, { name: 'b', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'keyC' }]);
    expect(enc.a).toMatch(/^azIwMDAy/);
    expect(enc.b).toBeNull();
    expect(await k.decryptRecord(enc, [{ name: 'a' }, { name: 'b', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'keyC' }]))
      .toEqual({ a: null, b: null });
  });

  it('whole values: Buffers come back as Buffers, strings as strings', async () => {
    const k = await engine();
    const buf = Buffer.from([0, 1, 2, 250]);
    const ct = await k.encryptValue(buf, { name: '<value>' });
    expect(typeof ct).toBe('string');
    expect(await k.decryptValue(ct, { name: '<value>' })).toEqual(buf);
  });

  it('resolves dynamic key ids against the record; decryption reads the key id from the envelope', async () => {
    const k = await engine();
    const fields = [{ name: 'secret', keyId: '__#tenant.key' }];
    const enc = await k.encryptRecord({ tenant: { key: 'keyA' }, secret: 's3cr3t' }, fields);
    expect(Buffer.from(enc.secret as string, 'base64').subarray(7, 11).toString()).toBe('keyA');
    // the field naming the key may be gone on the consumer side: AEAD decryption does not need it
    expect(await k.decryptRecord({ secret: enc.secret }, fields)).toEqual({ secret: 's3cr3t' });
    const err = await failure(k.encryptRecord({ secret: 'x' }, fields));
    expect(err.message).toMatch(/dynamic key identifier '__#tenant.key'/);
    expect(err.fieldPath).toBe('secret');
  });
});

describe('failures', () => {
  const secret = 'top-secret-value-123';

  async function encrypted(): Promise<string> {
    return (await (await engine()).encryptValue(secret, { name: 'f' })) as string;
  }

  function mutate(b64: string, fn: (b: Buffer) => Buffer): string {
    return fn(Buffer.from(b64, 'base64')).toString('base64');
  }

  it('tampered, truncated and wrong-key ciphertexts fail with a non-retriable error naming the field, never the value', async () => {
    const k = await engine();
    const ct = await encrypted();
    const cases = [
      mutate(ct, (b) => { const c = Buffer.from(b); c[c.length - 1]! ^= 1; return c; }),
      mutate(ct, (b) => b.subarray(0, b.length - 5)),
      mutate(ct, (b) => b.subarray(0, 9)),
      mutate(ct, (b) => b.subarray(0, 4)),
      ct.replace(/[A-Za-z]/, '-'),
    ];
    for (const bad of cases) {
      const err = await failure(k.decryptRecord({ deep: { f: bad } }, [{ name: 'deep.f' }]));
      expect(err.retriable).toBe(false);
      expect(err.fieldPath).toBe('deep.f');
      expect(err.message).toContain("field 'deep.f'");
      expect(err.message).not.toContain(secret);
    }
    // same envelope, other key material under the same identifier
    const other = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyB', material: KEYSET_A }] });
    const err = await failure(other.decryptValue(ct, { name: 'f' }));
    expect(err).toBeInstanceOf(CryptoError);
    expect(err.code).toBe('DECRYPTION_FAILED');
  });

  it('a renamed key id fails: the identifier is bound into the associated data', async () => {
    const ct = await encrypted();
    const renamed = await Kryptonite.create({ cipher_data_keys: [{ identifier: 'keyX', material: KEYSET_B }] });
    const patched = mutate(ct, (b) => Buffer.concat([b.subarray(0, 7), Buffer.from('keyX'), b.subarray(11)]));
    const err = await failure(renamed.decryptValue(patched, { name: 'f' }));
    expect(err.code).toBe('DECRYPTION_FAILED');
  });

  it('an unknown key id and an encryption error never show the plaintext', async () => {
    const k = await engine();
    const err = await failure(k.encryptRecord({ f: secret }, [{ name: 'f', keyId: 'nope' }]));
    expect(err.message).toMatch(/nope/);
    expect(err.message).not.toContain(secret);
    const fpe = await failure(k.encryptRecord({ f: 'abc-def' }, [{ name: 'f', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'keyC' }]));
    expect(fpe.message).toMatch(/position 3/);
    expect(fpe.message).not.toContain('abc-def');
  });

  it('refuses a keyset of the wrong type for the algorithm', async () => {
    const k = await engine();
    const err = await failure(k.encryptValue('x', { name: 'f', algorithm: 'TINK/AES_GCM_SIV', keyId: 'keyB' }));
    expect(err.message).toMatch(/keyset 'keyB' cannot serve this algorithm/);
  });
});

describe('keysets loaded on demand', () => {
  it('a keyset the resolver cannot provide fails naming the field that needed it', async () => {
    const k = await engine();
    const err = await failure(k.encryptRecord({ a: 1, b: { c: 'x' } }, [{ name: 'a', keyId: 'keyB' }, { name: 'b.c', keyId: 'absent' }]));
    expect(err.code).toBe('KEYSET_NOT_FOUND');
    expect(err.fieldPath).toBe('b.c');
    expect(err.retriable).toBe(false);
  });
});

describe('per-field FPE CUSTOM alphabets', () => {
  const field = { name: 'code', algorithm: 'CUSTOM/MYSTO_FPE_FF3_1', keyId: 'keyC', fpeAlphabetType: 'CUSTOM' } as const;

  it('fall back to cipher_fpe_alphabet_custom in per-call field lists and single values', async () => {
    const k = await engine({ cipher_fpe_alphabet_custom: 'abcdefghij' });
    const enc = await k.encryptRecord({ code: 'hgfedcba' }, [field]);
    expect(enc.code).toMatch(/^[a-j]{8}$/);
    expect(enc.code).not.toBe('hgfedcba');
    expect(await k.decryptRecord(enc, [field])).toEqual({ code: 'hgfedcba' });
    expect(await k.encryptValue('hgfedcba', field)).toBe(enc.code);
  });

  it('are refused with the option path when no custom alphabet exists anywhere', async () => {
    const k = await engine();
    expect(() => k.checkFields([field])).toThrow(/fields\[0\]\.fpeAlphabetCustom: is required when fpeAlphabetType is CUSTOM/);
  });
});
