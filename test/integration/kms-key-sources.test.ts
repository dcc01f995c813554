// Every key_source × cloud provider combination, against moto (AWS), the fake GCP gRPC server and the
// fake Key Vault: keysets are stored the way Kryptonite users store them, loaded through
// createKeysetResolver, and must encrypt/decrypt interchangeably with the original keyset.
import type { KekType, KmsType } from '../../src/config/types';
import { createKeysetResolver } from '../../src/keys/keyset-resolver';
import { generateKeyset, keysetAead, keysetDeterministicAead, type Keyset } from '../../src/keyset';
import { kekFor, providerDeps, rawValue, settingsFor, startClouds, storeKeyset, type Clouds } from '../support/cloud-fixtures';
import { watchConnections, type LoopbackGuard } from '../support/loopback-guard';

let clouds: Clouds;
let guard: LoopbackGuard;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  guard = watchConnections();
  clouds = await startClouds();
});
afterAll(async () => {
  await clouds.stop();
  guard.restore();
});

/** Both directions: data encrypted with the original decrypts with the loaded keyset and vice versa. */
function expectSameKeys(loaded: Keyset, original: Keyset): void {
  expect(loaded.primaryKeyId).toBe(original.primaryKeyId);
  const ad = Buffer.from('k4k associated data');
  const a = keysetAead(loaded).encrypt(Buffer.from('record field'), ad);
  expect(keysetAead(original).decrypt(a, ad).toString()).toBe('record field');
  const b = keysetAead(original).encrypt(Buffer.from('other way'), ad);
  expect(keysetAead(loaded).decrypt(b, ad).toString()).toBe('other way');
}

test('CONFIG: plain cipher_data_keys', async () => {
  const ks = generateKeyset({ algorithm: 'AES_GCM', identifier: 'cfg' });
  const r = await createKeysetResolver(settingsFor(clouds, 'CONFIG', 'NONE', 'NONE', [{ identifier: 'cfg', material: ks.toTinkJson() as never }]));
  expectSameKeys(await r.resolve('cfg'), ks);
  await r.close();
});

test.each<KekType>(['AWS', 'GCP', 'AZURE'])('CONFIG_ENCRYPTED with kek_type %s', async (kekType) => {
  const kek = kekFor(clouds, kekType);
  const a = generateKeyset({ algorithm: 'AES_GCM', identifier: 'encA', numKeys: 2 });
  const siv = generateKeyset({ algorithm: 'AES_GCM_SIV', identifier: 'encB' });
  const entries = [
    { identifier: 'encA', material: JSON.parse(await rawValue(a, kek)) },
    { identifier: 'encB', material: JSON.parse(await rawValue(siv, kek)) },
  ];
  await kek.close?.();
  const r = await createKeysetResolver(settingsFor(clouds, 'CONFIG_ENCRYPTED', 'NONE', kekType, entries), { providers: providerDeps });
  expectSameKeys(await r.resolve('encA'), a);
  const d = keysetDeterministicAead(await r.resolve('encB')).encryptDeterministically(Buffer.from('x'), Buffer.alloc(0));
  expect(d.equals(keysetDeterministicAead(siv).encryptDeterministically(Buffer.from('x'), Buffer.alloc(0)))).toBe(true);
  await r.close();
});

test.each<KmsType>(['AWS_SM_SECRETS', 'GCP_SM_SECRETS', 'AZ_KV_SECRETS'])('KMS with kms_type %s', async (kmsType) => {
  const id = `plain-${kmsType.split('_')[0]!.toLowerCase()}`;
  const ks = generateKeyset({ algorithm: 'AES_GCM', identifier: id, numKeys: 3 });
  await storeKeyset(clouds, kmsType, false, id, await rawValue(ks));
  const r = await createKeysetResolver(settingsFor(clouds, 'KMS', kmsType, 'NONE'), { providers: providerDeps, logger: quiet });
  expect(r.peek?.(id)).toBeDefined(); // loaded at startup, not on demand
  expectSameKeys(await r.resolve(id), ks);
  // A secret added after startup is fetched on demand.
  const late = generateKeyset({ algorithm: 'AES_GCM', identifier: `${id}-late` });
  await storeKeyset(clouds, kmsType, false, `${id}-late`, await rawValue(late));
  expect(r.peek?.(`${id}-late`)).toBeUndefined();
  expectSameKeys(await r.resolve(`${id}-late`), late);
  await r.close();
});

const ENCRYPTED: Array<[KmsType, KekType]> = [
  ['AWS_SM_SECRETS', 'AWS'], ['GCP_SM_SECRETS', 'GCP'], ['AZ_KV_SECRETS', 'AZURE'],
  // Mixed clouds: storage on one, key encryption on another.
  ['GCP_SM_SECRETS', 'AWS'], ['AWS_SM_SECRETS', 'AZURE'], ['AZ_KV_SECRETS', 'GCP'],
];
test.each(ENCRYPTED)('KMS_ENCRYPTED with kms_type %s and kek_type %s', async (kmsType, kekType) => {
  const id = `enc-${kmsType.split('_')[0]!.toLowerCase()}-${kekType.toLowerCase()}`;
  const kek = kekFor(clouds, kekType);
  const ks = generateKeyset({ algorithm: 'AES_GCM', identifier: id, numKeys: 2 });
  await storeKeyset(clouds, kmsType, true, id, await rawValue(ks, kek));
  await kek.close?.();
  const r = await createKeysetResolver(settingsFor(clouds, 'KMS_ENCRYPTED', kmsType, kekType), { providers: providerDeps, logger: quiet });
  expectSameKeys(await r.resolve(id), ks);
  await r.close();
});

test('KMS_ENCRYPTED: a keyset encrypted under another KEK fails by name, others still load', async () => {
  const good = generateKeyset({ algorithm: 'AES_GCM', identifier: 'kekgood' });
  const foreignKek = kekFor(clouds, 'GCP');
  const awsKek = kekFor(clouds, 'AWS');
  await storeKeyset(clouds, 'AWS_SM_SECRETS', true, 'kekgood', await rawValue(good, awsKek));
  await storeKeyset(clouds, 'AWS_SM_SECRETS', true, 'kekwrong', await rawValue(generateKeyset({ algorithm: 'AES_GCM' }), foreignKek));
  const errors: string[] = [];
  const r = await createKeysetResolver(settingsFor(clouds, 'KMS_ENCRYPTED', 'AWS_SM_SECRETS', 'AWS'),
    { providers: providerDeps, logger: { ...quiet, error: (m) => errors.push(m) }, retry: { maxAttempts: 1 } });
  expectSameKeys(await r.resolve('kekgood'), good);
  const err = await r.resolve('kekwrong').catch((e: unknown) => e) as Error & { retriable: boolean };
  expect(err.message).toContain("AWS Secrets Manager secret 'k4k/tink_encrypted/kekwrong'");
  expect(err.retriable).toBe(false);
  expect(errors.some((m) => m.includes('kekwrong'))).toBe(true);
  await Promise.all([r.close(), foreignKek.close?.(), awsKek.close?.()]);
});

test('permission denied on the store is a clear non-retriable startup error', async () => {
  clouds.gcp.failWith = 7;
  try {
    await expect(createKeysetResolver(settingsFor(clouds, 'KMS', 'GCP_SM_SECRETS', 'NONE'), { providers: providerDeps, logger: quiet }))
      .rejects.toMatchObject({ code: 'KMS_PERMISSION_DENIED', retriable: false });
  } finally {
    clouds.gcp.failWith = undefined;
  }
});

test('nothing but loopback was contacted', () => {
  expect(guard.nonLoopback()).toEqual([]);
});
