// Scheduled refresh against real emulated stores: a rotated multi-key keyset (new primary) is picked up
// without a restart, and the last good keyset keeps serving while the store is unreachable.
import { createKeysetResolver } from '../../src/keys/keyset-resolver';
import { addKey, generateKeyset, keysetAead } from '../../src/keyset';
import { kekFor, providerDeps, rawValue, settingsFor, startClouds, storeKeyset, type Clouds } from '../support/cloud-fixtures';
import { startFakeGcp } from '../support/fake-gcp';

let clouds: Clouds;
beforeAll(async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  clouds = await startClouds();
});
afterAll(async () => { await clouds.stop(); });

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const quiet = () => {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
};

test('KMS_ENCRYPTED on AWS: refresh picks up a rotated keyset (new primary), old ciphertexts still decrypt', async () => {
  const kek = kekFor(clouds, 'AWS');
  const v1 = generateKeyset({ algorithm: 'AES_GCM', identifier: 'rotating', numKeys: 2, initialKeyId: 500 });
  await storeKeyset(clouds, 'AWS_SM_SECRETS', true, 'rotating', await rawValue(v1, kek));
  const log = quiet();
  const r = await createKeysetResolver(settingsFor(clouds, 'KMS_ENCRYPTED', 'AWS_SM_SECRETS', 'AWS'),
    { providers: providerDeps, logger: log, refreshIntervalMs: 300 });
  const before = await r.resolve('rotating');
  expect(before.primaryKeyId).toBe(500);
  const oldCt = keysetAead(before).encrypt(Buffer.from('written before rotation'), Buffer.alloc(0));

  const v2 = addKey(v1, { promote: true }); // key 502 becomes primary, 500 and 501 stay ENABLED
  await storeKeyset(clouds, 'AWS_SM_SECRETS', true, 'rotating', await rawValue(v2, kek));
  await until(() => r.peek?.('rotating')?.primaryKeyId === 502);
  const after = await r.resolve('rotating');
  expect(after.keys.map((k) => k.keyId)).toEqual([500, 501, 502]);
  expect(keysetAead(after).decrypt(oldCt, Buffer.alloc(0)).toString()).toBe('written before rotation');
  const newCt = keysetAead(after).encrypt(Buffer.from('new'), Buffer.alloc(0));
  expect(newCt.readUInt32BE(1)).toBe(502); // TINK prefix names the new primary
  await Promise.all([r.close(), kek.close?.()]);
});

test('GCP store unreachable: the last good keyset keeps serving, and the refresh recovers afterwards', async () => {
  const gcp = await startFakeGcp();
  const c = { ...clouds, gcp };
  const v1 = generateKeyset({ algorithm: 'AES_GCM', identifier: 'steady', initialKeyId: 700 });
  await storeKeyset(c, 'GCP_SM_SECRETS', false, 'steady', await rawValue(v1));
  const log = quiet();
  const r = await createKeysetResolver(settingsFor(c, 'KMS', 'GCP_SM_SECRETS', 'NONE'),
    { providers: { ...providerDeps, gcp: { callTimeoutMs: 1000 } }, logger: log, refreshIntervalMs: 200, retry: { maxAttempts: 2, baseDelayMs: 10 } });
  expect((await r.resolve('steady')).primaryKeyId).toBe(700);

  const port = gcp.port;
  await gcp.stop(); // the cloud is gone: connections are refused
  await until(() => log.lines.some((l) => l.includes('refreshing the loaded keysets only')));
  await until(() => log.lines.some((l) => l.includes('keeping the keyset loaded earlier')));
  expect((await r.resolve('steady')).primaryKeyId).toBe(700);
  expect(keysetAead(await r.resolve('steady')).decrypt(keysetAead(v1).encrypt(Buffer.from('ok'), Buffer.alloc(0)), Buffer.alloc(0)).toString()).toBe('ok');

  // Back on the same port with a rotated keyset: the next cycles pick it up.
  const revived = await startFakeGcp({ port });
  await storeKeyset({ ...clouds, gcp: revived }, 'GCP_SM_SECRETS', false, 'steady', await rawValue(addKey(v1, { promote: true })));
  await until(() => r.peek?.('steady')?.primaryKeyId === 701, 15_000);
  await r.close();
  await revived.stop();
});
