// Azure provider against the in-process fake Key Vault (real @azure/keyvault-* clients over HTTPS,
// certificate trusted through the clients' tlsOptions).
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { ConfigError, CryptoError, KeyNotFoundError } from '../../src/errors';
import { azureHybridFormat, createAzureEnvelopeKek, createAzureKeyVaultKek, createAzureKeyVaultSource, parseAzureKekUri, readAzureConfig } from '../../src/providers/azure';
import { fakeAzureCredential, fakeKeyVaultClientOptions, startFakeKeyVault, type FakeKeyVault } from '../support/fake-azure-key-vault';
import { watchConnections, type LoopbackGuard } from '../support/loopback-guard';

let vault: FakeKeyVault;
let guard: LoopbackGuard;
const opts = () => ({ credential: fakeAzureCredential, clientOptions: fakeKeyVaultClientOptions() });
const kmsConfig = () => ({ clientId: 'c', tenantId: 't', clientSecret: 's', keyVaultUrl: vault.url });
const kekUri = (kid: string) => kid.replace(/^https:\/\//, 'azure-kv://');

beforeAll(async () => {
  guard = watchConnections();
  vault = await startFakeKeyVault();
});
afterEach(() => { vault.failWith = undefined; });
afterAll(async () => {
  await vault.stop();
  guard.restore();
});

describe('Azure config', () => {
  test('Kryptonite shape is read; the three credential fields go together', () => {
    expect(readAzureConfig(kmsConfig(), 'kms_config')).toEqual({ keyVaultUrl: vault.url, clientSecret: { clientId: 'c', tenantId: 't', clientSecret: 's' } });
    expect(readAzureConfig({ keyVaultUrl: vault.url }, 'kms_config').clientSecret).toBeUndefined();
    expect(() => readAzureConfig({ clientId: 'c' }, 'kek_config')).toThrow(/^kek_config: clientId, tenantId and clientSecret must be given together/);
    expect(() => createAzureKeyVaultSource({}, opts())).toThrow(/kms_config.keyVaultUrl is required/);
  });
  test('a client-secret config builds a ClientSecretCredential without contacting anything', () => {
    expect(() => createAzureKeyVaultSource(kmsConfig(), { clientOptions: fakeKeyVaultClientOptions() })).not.toThrow();
  });
  test('KEK URI: azure-kv:// becomes https://, path must be /keys/<name>[/<version>]', () => {
    expect(parseAzureKekUri('azure-kv://my.vault.azure.net/keys/kek/0123abcd')).toBe('https://my.vault.azure.net/keys/kek/0123abcd');
    expect(parseAzureKekUri('AZURE-KV://my.vault.azure.net/keys/kek')).toBe('https://my.vault.azure.net/keys/kek');
    expect(() => parseAzureKekUri('azure-kv://my.vault.azure.net/secrets/kek')).toThrow(ConfigError);
  });
});

describe('Azure Key Vault keyset source', () => {
  test('lists all pages with bare names (disabled secrets skipped) and reads values', async () => {
    for (const id of ['k1', 'k2', 'k3', 'k4', 'k5']) vault.setSecret(id, `{"id":"${id}"}`);
    vault.setSecret('k3', '{"id":"k3-v2"}');
    vault.setSecret('off', '{}');
    vault.disableSecret('off');
    const s = createAzureKeyVaultSource(kmsConfig(), opts());
    expect((await s.list()).sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(await s.get('k3')).toBe('{"id":"k3-v2"}');
    expect(s.describe?.('k3')).toBe(`Azure Key Vault secret 'k3' in ${vault.url}`);
  });
  test('missing → KeyNotFoundError; ids that cannot be Azure names are not found without a request; 403/503 classified', async () => {
    const s = createAzureKeyVaultSource(kmsConfig(), opts());
    await expect(s.get('missing')).rejects.toBeInstanceOf(KeyNotFoundError);
    const before = vault.calls.get('GET secrets') ?? 0;
    await expect(s.get('key_1')).rejects.toThrow(/cannot be a secret name/);
    expect(vault.calls.get('GET secrets') ?? 0).toBe(before);
    vault.failWith = 403;
    await expect(s.list()).rejects.toMatchObject({ code: 'KMS_PERMISSION_DENIED', retriable: false });
    vault.failWith = 503;
    await expect(s.get('k1')).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE', retriable: true });
  });
});

describe('Azure keyset KEK (Kryptonite hybrid format)', () => {
  test('layout: 4-byte BE length ‖ RSA-OAEP-256-wrapped 32-byte key ‖ 12-byte IV ‖ AES-256-GCM ct‖tag; AAD honoured', async () => {
    const kid = vault.createRsaKey('kek-hybrid');
    const kek = createAzureKeyVaultKek(kekUri(kid), kmsConfig(), opts());
    const pt = Buffer.from('serialized keyset protobuf');
    const aad = Buffer.from('aad');
    const ct = await kek.encrypt(pt, aad);
    expect(ct.readUInt32BE(0)).toBe(256); // RSA-2048
    expect(ct.length).toBe(4 + 256 + 12 + pt.length + 16);
    expect((await kek.decrypt(ct, aad)).equals(pt)).toBe(true);
    await expect(kek.decrypt(ct, Buffer.from('other'))).rejects.toBeInstanceOf(CryptoError);
    await expect(kek.decrypt(ct.subarray(0, 3), aad)).rejects.toThrow(/ciphertext too short/);
    await expect(kek.decrypt(ct.subarray(0, 4 + 256 + 5), aad)).rejects.toThrow(/ciphertext too short/);
  });
  test('reads a ciphertext assembled independently from the format (wrap with the vault key, seal with node:crypto)', async () => {
    const kid = vault.createRsaKey('kek-independent');
    const kek = createAzureKeyVaultKek(kekUri(kid), kmsConfig(), opts());
    // Fetch the public key through the envelope KEK path: wrap a known DEK, then build the rest by hand.
    const dek = Buffer.alloc(32, 7);
    const envelope = createAzureEnvelopeKek(kekUri(kid), kmsConfig(), opts());
    const wrapped = await envelope.encrypt(dek, Buffer.alloc(0));
    const iv = Buffer.alloc(12, 3);
    const sealed = azureHybridFormat.seal(dek, Buffer.from('hand made'), Buffer.alloc(0), iv);
    const len = Buffer.alloc(4); len.writeUInt32BE(wrapped.length);
    const blob = Buffer.concat([len, wrapped, iv, sealed.ciphertextAndTag]);
    expect((await kek.decrypt(blob, Buffer.alloc(0))).toString()).toBe('hand made');
  });
  test('a ciphertext wrapped for another key fails as a decrypt error', async () => {
    const a = createAzureKeyVaultKek(kekUri(vault.createRsaKey('kek-a')), kmsConfig(), opts());
    const b = createAzureKeyVaultKek(kekUri(vault.createRsaKey('kek-b')), kmsConfig(), opts());
    const ct = await a.encrypt(Buffer.from('x'), Buffer.alloc(0));
    await expect(b.decrypt(ct, Buffer.alloc(0))).rejects.toMatchObject({ code: 'KMS_DECRYPT_FAILED', retriable: false });
  });
});

describe('Azure envelope KEK (algorithm 06)', () => {
  test('plain RSA-OAEP-256 wrap of the DEK, associated data ignored', async () => {
    const kid = vault.createRsaKey('kek-envelope');
    const kek = createAzureEnvelopeKek(kekUri(kid), kmsConfig(), opts());
    const dek = Buffer.alloc(32, 9);
    const wrapped = await kek.encrypt(dek, Buffer.from('kek-id-1'));
    expect(wrapped.length).toBe(256);
    expect((await kek.decrypt(wrapped, Buffer.from('something else'))).equals(dek)).toBe(true);
    // Any standard RSA-OAEP-256 encryption under the vault key's public half unwraps too.
    const jwk = await fetchPublicJwk(kid);
    const mine = publicEncrypt({ key: createPublicKey({ format: 'jwk', key: jwk }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dek);
    expect((await kek.decrypt(mine, Buffer.alloc(0))).equals(dek)).toBe(true);
  });
});

async function fetchPublicJwk(kid: string): Promise<{ kty: 'RSA'; n: string; e: string }> {
  const { KeyClient } = await import('@azure/keyvault-keys');
  const client = new KeyClient(vault.url, fakeAzureCredential, fakeKeyVaultClientOptions());
  const name = kid.split('/keys/')[1]!.split('/')[0]!;
  const key = await client.getKey(name);
  return { kty: 'RSA', n: Buffer.from(key.key!.n!).toString('base64url'), e: Buffer.from(key.key!.e!).toString('base64url') };
}

test('the Azure clients reached nothing but loopback', () => {
  expect(guard.connects.length).toBeGreaterThan(0);
  expect(guard.nonLoopback()).toEqual([]);
});
