// AWS provider against moto server (started by test/setup/services/aws.service.ts) with the real AWS SDK v3.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateAliasCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { ConfigError, KeyNotFoundError, KeysetError, KmsError } from '../../src/errors';
import { createAwsKmsKek, createAwsSecretsManagerSource, parseAwsKekUri } from '../../src/providers/aws';
import { createMotoKey, credentialsFor, freshRegion, motoConfig, motoEndpoint, putMotoSecret } from '../support/moto';
import { watchConnections, type LoopbackGuard } from '../support/loopback-guard';

let guard: LoopbackGuard;
const open: Array<{ close(): Promise<void> }> = [];
function track<T extends { close(): Promise<void> }>(c: T): T {
  open.push(c);
  return c;
}
beforeAll(() => { guard = watchConnections(); });
afterEach(async () => { await Promise.all(open.splice(0).map((c) => c.close())); });
afterAll(() => guard.restore());

/** Forwards to moto and rewrites the KeyId of Decrypt answers, as a KMS answering for another key would. */
async function keyIdRewritingProxy(keyId: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = new URL(req.url ?? '/', motoEndpoint());
      const headers = { ...req.headers } as Record<string, string>;
      delete headers['content-length'];
      fetch(target, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }).then(async (r) => {
        let body = Buffer.from(await r.arrayBuffer());
        if (String(req.headers['x-amz-target']).endsWith('.Decrypt') && r.ok) {
          body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString('utf8')), KeyId: keyId }));
        }
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/x-amz-json-1.1' });
        res.end(body);
      }, () => { res.writeHead(502); res.end(); });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${addr.port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const sdkKms = (region: string) => new KMSClient({ region, endpoint: motoEndpoint(), credentials: credentialsFor(region) });

describe('AWS KEK URI', () => {
  test('prefix stripped case-insensitively, region is the 4th token', () => {
    expect(parseAwsKekUri('aws-kms://arn:aws:kms:eu-west-1:111122223333:key/abc')).toEqual({ keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc', region: 'eu-west-1' });
    expect(parseAwsKekUri('AWS-KMS://arn:aws:kms:us-east-1:1:alias/x').region).toBe('us-east-1');
    expect(() => parseAwsKekUri('aws-kms://arn:aws:kms')).toThrow(ConfigError);
    expect(() => parseAwsKekUri('gcp-kms://arn:aws:kms:r:a:key/k')).toThrow(/must start with 'aws-kms:\/\/'/);
  });
  test('accessKey without secretKey is a config error naming the option', () => {
    expect(() => createAwsKmsKek('aws-kms://arn:aws:kms:us-east-1:1:key/k', { accessKey: 'AKIA' })).toThrow(/^kek_config: accessKey and secretKey must be given together/);
  });
});

describe('AWS Secrets Manager keyset source', () => {
  test('lists every page of k4k/tink_plain/ or k4k/tink_encrypted/ names and reads SecretString', async () => {
    const region = await freshRegion();
    for (let i = 0; i < 105; i++) await putMotoSecret(region, `k4k/tink_plain/id${i}`, `{"n":${i}}`);
    await putMotoSecret(region, 'k4k/tink_encrypted/enc1', '{"e":1}');
    await putMotoSecret(region, 'other/secret', 'x');
    const plain = track(createAwsSecretsManagerSource(motoConfig(region)));
    const ids = await plain.list();
    expect(ids).toHaveLength(105); // more than one page of 100
    expect(ids).toContain('id104');
    expect(await plain.get('id7')).toBe('{"n":7}');
    const enc = track(createAwsSecretsManagerSource(motoConfig(region), { encrypted: true }));
    expect(await enc.list()).toEqual(['enc1']);
    expect(enc.describe?.('enc1')).toBe("AWS Secrets Manager secret 'k4k/tink_encrypted/enc1'");
  });
  test('missing secret → KeyNotFoundError naming it; wrong endpoint → retriable', async () => {
    const region = await freshRegion();
    const s = track(createAwsSecretsManagerSource(motoConfig(region)));
    const err = await s.get('absent').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyNotFoundError);
    expect((err as Error).message).toContain("'k4k/tink_plain/absent'");
    const dead = track(createAwsSecretsManagerSource({ ...motoConfig(region), endpoint: 'http://127.0.0.1:9' }, { clientOptions: { maxAttempts: 1 } }));
    await expect(dead.list()).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE', retriable: true });
  });
  test('a binary secret is reported as not a keyset, without content', async () => {
    const region = await freshRegion();
    const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    const sm = new SecretsManagerClient({ region, endpoint: motoEndpoint(), credentials: credentialsFor(region) });
    await sm.send(new CreateSecretCommand({ Name: 'k4k/tink_plain/bin', SecretBinary: Buffer.from('secret-bytes') }));
    sm.destroy();
    const s = track(createAwsSecretsManagerSource(motoConfig(region)));
    const err = await s.get('bin').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeysetError);
    expect((err as Error).message).not.toContain('secret-bytes');
  });
  test('endpoint env vars of the SDK keep working when kms_config has no endpoint', async () => {
    const region = await freshRegion();
    await putMotoSecret(region, 'k4k/tink_plain/viaenv', '{}');
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = motoEndpoint();
    try {
      const { endpoint: _dropped, ...noEndpoint } = motoConfig(region);
      const s = track(createAwsSecretsManagerSource(noEndpoint));
      expect(await s.list()).toEqual(['viaenv']);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER; else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    }
  });
});

describe('AWS KMS KEK', () => {
  test('non-empty AAD travels as EncryptionContext {associatedData: lowercase hex}; empty AAD as no context', async () => {
    const region = await freshRegion();
    const arn = await createMotoKey(region);
    const kek = track(createAwsKmsKek(`aws-kms://${arn}`, motoConfig(region)));
    const aad = Buffer.from([0xab, 0xcd, 0x01]);
    const ct = await kek.encrypt(Buffer.from('dek'), aad);
    expect((await kek.decrypt(ct, aad)).toString()).toBe('dek');
    // The SDK directly, with the context Tink would send: proves the exact encoding.
    const kms = sdkKms(region);
    const direct = await kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { associatedData: 'abcd01' } }));
    expect(Buffer.from(direct.Plaintext!).toString()).toBe('dek');
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { associatedData: 'ABCD01' } }))).rejects.toThrow();
    await expect(kek.decrypt(ct, Buffer.alloc(0))).rejects.toMatchObject({ code: 'KMS_DECRYPT_FAILED', retriable: false });
    const noContext = await kek.encrypt(Buffer.from('keyset'), Buffer.alloc(0));
    const plain = await kms.send(new DecryptCommand({ CiphertextBlob: noContext }));
    expect(Buffer.from(plain.Plaintext!).toString()).toBe('keyset');
    kms.destroy();
  });
  test('Decrypt of a ciphertext made under another key is refused', async () => {
    const region = await freshRegion();
    const a = await createMotoKey(region);
    const b = await createMotoKey(region);
    const kms = sdkKms(region);
    const underB = await kms.send(new EncryptCommand({ KeyId: b, Plaintext: Buffer.from('x') }));
    kms.destroy();
    const kekA = track(createAwsKmsKek(`aws-kms://${a}`, motoConfig(region)));
    const err = await kekA.decrypt(Buffer.from(underB.CiphertextBlob!), Buffer.alloc(0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KmsError);
    expect((err as KmsError).retriable).toBe(false);
    // AWS answers IncorrectKeyException (→ KMS_DECRYPT_FAILED); moto answers AccessDeniedException.
    expect(['KMS_DECRYPT_FAILED', 'KMS_PERMISSION_DENIED']).toContain((err as KmsError).code);
  });
  test('a Decrypt answer naming another key id is refused (Tink\'s KeyId check), even though it decrypted', async () => {
    const region = await freshRegion();
    const arn = await createMotoKey(region);
    const other = arn.replace(/key\/.*$/, 'key/11111111-2222-3333-4444-555555555555');
    const proxy = await keyIdRewritingProxy(other);
    try {
      const kek = track(createAwsKmsKek(`aws-kms://${arn}`, { ...motoConfig(region), endpoint: proxy.url }));
      const ct = await kek.encrypt(Buffer.from('x'), Buffer.alloc(0));
      await expect(kek.decrypt(ct, Buffer.alloc(0))).rejects.toMatchObject({ code: 'KMS_WRONG_KEY', retriable: false });
      // An alias ARN is not a key ARN: the check is off, as in Tink.
      const kms = sdkKms(region);
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/k4k-keyid-check', TargetKeyId: arn }));
      kms.destroy();
      const viaAlias = track(createAwsKmsKek(`aws-kms://${arn.replace(/key\/.*$/, 'alias/k4k-keyid-check')}`, { ...motoConfig(region), endpoint: proxy.url }));
      expect((await viaAlias.decrypt(ct, Buffer.alloc(0))).toString()).toBe('x');
    } finally {
      await proxy.close();
    }
  });
  test('unknown key → not found; kek_config without keys uses the default chain (env credentials here)', async () => {
    const region = await freshRegion();
    const missing = track(createAwsKmsKek(`aws-kms://arn:aws:kms:${region}:111122223333:key/00000000-0000-0000-0000-000000000000`, motoConfig(region)));
    await expect(missing.encrypt(Buffer.from('x'), Buffer.alloc(0))).rejects.toBeInstanceOf(KeyNotFoundError);
    const arn = await createMotoKey(region);
    const saved = { ...process.env };
    const creds = credentialsFor(region);
    process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = creds.sessionToken ?? '';
    process.env.AWS_ENDPOINT_URL_KMS = motoEndpoint();
    try {
      const kek = track(createAwsKmsKek(`aws-kms://${arn}`, {}));
      const ct = await kek.encrypt(Buffer.from('via default chain'), Buffer.alloc(0));
      expect((await kek.decrypt(ct, Buffer.alloc(0))).toString()).toBe('via default chain');
    } finally {
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_KMS']) {
        if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
      }
    }
  });
});

test('the AWS clients reached nothing but loopback', () => {
  expect(guard.connects.length).toBeGreaterThan(0);
  expect(guard.nonLoopback()).toEqual([]);
});
