// GCP provider against the in-process fake Cloud KMS / Secret Manager (real @google-cloud clients over gRPC).
import { generateKeyPairSync } from 'node:crypto';
import { KeyNotFoundError, KmsError, ConfigError } from '../../src/errors';
import { createGcpKmsKek, createGcpSecretManagerSource, parseGcpKekUri, readGcpConfig } from '../../src/providers/gcp';
import { startFakeGcp, type FakeGcp } from '../support/fake-gcp';
import { watchConnections, type LoopbackGuard } from '../support/loopback-guard';

const PROJECT = 'k4k-test-project';
const KEY = `projects/${PROJECT}/locations/global/keyRings/ring/cryptoKeys/kek`;
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const serviceAccount = {
  type: 'service_account', project_id: PROJECT, private_key_id: 'abc', private_key: privateKey,
  client_email: 'k4k@k4k-test-project.iam.gserviceaccount.com', client_id: '1', token_uri: 'https://oauth2.googleapis.com/token',
};

let fake: FakeGcp;
let guard: LoopbackGuard;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  guard = watchConnections();
  fake = await startFakeGcp();
  fake.addKey(KEY);
});
afterEach(async () => {
  fake.failWith = undefined;
  await Promise.all(closers.splice(0).map((c) => c()));
});
afterAll(async () => {
  await fake.stop();
  guard.restore();
});

/** Kryptonite's real kms_config shape (the service-account JSON itself) plus the emulator extension. */
const saConfig = () => ({ ...serviceAccount, endpoint: fake.endpoint, emulator: true });

function source(config: Record<string, unknown>, encrypted = false) {
  const s = createGcpSecretManagerSource(config, { encrypted, callTimeoutMs: 3000 });
  closers.push(() => s.close());
  return s;
}
function kek(uri = `gcp-kms://${KEY}`) {
  const k = createGcpKmsKek(uri, saConfig(), { callTimeoutMs: 3000 });
  closers.push(() => k.close());
  return k;
}

describe('GCP config shapes', () => {
  test('service-account JSON itself (what Kryptonite 0.7.0 reads): project from project_id, credentials from the key', () => {
    const c = readGcpConfig(serviceAccount, 'kms_config');
    expect(c.projectId).toBe(PROJECT);
    expect(c.credentials).toEqual({ client_email: serviceAccount.client_email, private_key: privateKey });
  });
  test('documented wrapper {credentials: "<json string>", projectId}', () => {
    const c = readGcpConfig({ credentials: JSON.stringify(serviceAccount), projectId: 'other' }, 'kms_config');
    expect(c.projectId).toBe('other');
    expect(c.credentials?.client_email).toBe(serviceAccount.client_email);
  });
  test('wrapper without projectId takes project_id from the credentials; nothing at all = default credentials', () => {
    expect(readGcpConfig({ credentials: serviceAccount }, 'kms_config').projectId).toBe(PROJECT);
    const adc = readGcpConfig({}, 'kms_config');
    expect(adc.credentials).toBeUndefined();
    expect(adc.universeDomain).toBe('googleapis.com');
  });
  test('errors name the option path and never echo the value', () => {
    expect(() => readGcpConfig('{"private_key": "SECRET-PEM', 'kek_config')).toThrow(/^kek_config is not valid JSON$/);
    expect(() => readGcpConfig({ client_email: 'a@b' }, 'kms_config')).toThrow(/kms_config: a service-account key needs both/);
    expect(() => createGcpSecretManagerSource({ endpoint: fake.endpoint, emulator: true })).toThrow(ConfigError);
  });
  test('KEK URI parsing', () => {
    expect(parseGcpKekUri(`GCP-KMS://${KEY}`)).toBe(KEY);
    expect(() => parseGcpKekUri(`aws-kms://${KEY}`)).toThrow(/must start with 'gcp-kms:\/\/'/);
    expect(() => parseGcpKekUri('gcp-kms://projects/p/keyRings/r')).toThrow(ConfigError);
  });
});

describe('GCP Secret Manager keyset source', () => {
  test('lists every page, keeps only its own prefix, strips it; reads latest version', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) fake.putSecret(PROJECT, `k4k-tink-plain_${id}`, `{"v":"${id}"}`);
    fake.putSecret(PROJECT, 'k4k-tink-encrypted_x', '{}');
    fake.putSecret(PROJECT, 'unrelated', '{}');
    fake.putSecret(PROJECT, 'k4k-tink-plain_c', '{"v":"c2"}');
    const plain = source(saConfig());
    expect((await plain.list()).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await plain.get('c')).toBe('{"v":"c2"}');
    expect(fake.calls.get('listSecrets')).toBeGreaterThanOrEqual(4); // 7 secrets, pages of 2
    const enc = source({ credentials: JSON.stringify(serviceAccount), projectId: PROJECT, endpoint: fake.endpoint, emulator: true }, true);
    expect(await enc.list()).toEqual(['x']);
    expect(enc.describe?.('x')).toBe(`GCP Secret Manager secret 'projects/${PROJECT}/secrets/k4k-tink-encrypted_x'`);
  });
  test('missing secret → KeyNotFoundError naming the secret; permission and outage classified', async () => {
    const s = source(saConfig());
    const missing = await s.get('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KeyNotFoundError);
    expect((missing as Error).message).toContain(`projects/${PROJECT}/secrets/k4k-tink-plain_nope/versions/latest`);
    fake.failWith = 7; // PERMISSION_DENIED
    await expect(s.list()).rejects.toMatchObject({ code: 'KMS_PERMISSION_DENIED', retriable: false });
    fake.failWith = 14; // UNAVAILABLE
    await expect(s.get('a')).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE', retriable: true });
  });
});

describe('GCP KMS KEK', () => {
  test('round trip with associated data; wrong AAD and foreign ciphertext fail as non-retriable decrypt errors', async () => {
    const k = kek();
    const aad = Buffer.from('keyset-aad');
    const ct = await k.encrypt(Buffer.from('keyset bytes'), aad);
    expect((await k.decrypt(ct, aad)).toString()).toBe('keyset bytes');
    await expect(k.decrypt(ct, Buffer.from('other'))).rejects.toMatchObject({ code: 'KMS_DECRYPT_FAILED', retriable: false });
    const empty = await k.encrypt(Buffer.from('x'), Buffer.alloc(0));
    expect((await k.decrypt(empty, Buffer.alloc(0))).toString()).toBe('x');
    await expect(k.decrypt(Buffer.from('not a kms ciphertext at all, nope'), Buffer.alloc(0))).rejects.toBeInstanceOf(KmsError);
  });
  test('ciphertexts of older key versions still decrypt after rotation', async () => {
    const k = kek();
    const old = await k.encrypt(Buffer.from('old'), Buffer.alloc(0));
    fake.rotateKey(KEY);
    const fresh = await k.encrypt(Buffer.from('new'), Buffer.alloc(0));
    expect(old.readUInt32BE(0)).not.toBe(fresh.readUInt32BE(0));
    expect((await k.decrypt(old, Buffer.alloc(0))).toString()).toBe('old');
  });
  test('unknown key → not found', async () => {
    await expect(kek(`gcp-kms://${KEY}-missing`).encrypt(Buffer.from('x'), Buffer.alloc(0))).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

test('the GCP clients opened no connection and made no DNS lookup beyond loopback', () => {
  expect(guard.connects.length).toBeGreaterThan(0); // the guard saw the gRPC connections
  expect(guard.nonLoopback()).toEqual([]);
});
