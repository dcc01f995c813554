// The provider table: lazy loading (no cloud SDK on import), errors for unknown types and missing SDKs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors';
import { requireOptional } from '../../src/keys/optional-require';
import { createKeyEncryptionKey, createKeysetSource, KEK_PROVIDERS, KMS_PROVIDERS } from '../../src/keys/provider-registry';

const ROOT = join(__dirname, '..', '..');

test('loading the key layer and the engine pulls in no cloud SDK', () => {
  const entries = ['./src/keys/keyset-resolver', './src/keys/provider-registry', './src/engine'].map((p) => `require(${JSON.stringify(p)});`).join('');
  const script = `${entries}const sdk=Object.keys(require.cache).filter(p=>/node_modules[\\\\/](@aws-sdk|@google-cloud|@azure|google-gax)[\\\\/]/.test(p));console.log(JSON.stringify(sdk.length))`;
  const out = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(out.stderr).not.toMatch(/Error/);
  expect(out.stdout.trim()).toBe('0');
});

test('a missing package becomes a ConfigError naming the npm package and the option that needs it', () => {
  const err = (() => { try { requireOptional('@k4k-test/not-installed-sdk', 'kms_type AWS_SM_SECRETS'); } catch (e) { return e; } return undefined; })();
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).code).toBe('PROVIDER_SDK_MISSING');
  expect((err as Error).message).toBe("kms_type AWS_SM_SECRETS needs the npm package '@k4k-test/not-installed-sdk', which is not installed: run `npm install @k4k-test/not-installed-sdk`");
});

type Build = (r: typeof import('../../src/keys/provider-registry')) => unknown;
const cases: Array<[string, Build]> = [
  ['@aws-sdk/client-kms', (r) => r.createKeyEncryptionKey('AWS', 'aws-kms://arn:aws:kms:us-east-1:1:key/k', {})],
  ['@aws-sdk/client-secrets-manager', (r) => r.createKeysetSource('AWS_SM_SECRETS', {}, false)],
  ['@google-cloud/kms', (r) => r.createKeyEncryptionKey('GCP', 'gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k', {})],
  ['@google-cloud/secret-manager', (r) => r.createKeysetSource('GCP_SM_SECRETS', { projectId: 'p' }, false)],
  ['@azure/keyvault-keys', (r) => r.createEnvelopeKek('AZURE', 'azure-kv://v.vault.azure.net/keys/k', {})],
  ['@azure/keyvault-secrets', (r) => r.createKeysetSource('AZ_KV_SECRETS', { keyVaultUrl: 'https://v.vault.azure.net' }, false)],
  ['@azure/identity', (r) => r.createKeysetSource('AZ_KV_SECRETS', { keyVaultUrl: 'https://v.vault.azure.net' }, false)],
];

test.each(cases)('provider construction without %s fails with its install hint', (pkg, build) => {
  jest.isolateModules(() => {
    jest.doMock(pkg, () => {
      throw Object.assign(new Error(`Cannot find module '${pkg}' from 'src/keys/optional-require.ts'`), { code: 'MODULE_NOT_FOUND' });
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const registry = require('../../src/keys/provider-registry') as typeof import('../../src/keys/provider-registry');
    let err: unknown;
    try { build(registry); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('PROVIDER_SDK_MISSING');
    expect((err as Error).message).toContain(`npm install ${pkg}`);
    jest.dontMock(pkg);
  });
});

test('unknown kms_type / kek_type list the known ones; the table covers every cloud', () => {
  expect(() => createKeysetSource('VAULT', {}, false)).toThrow("kms_type: no KMS key vault provider for type 'VAULT' (known: AWS_SM_SECRETS, GCP_SM_SECRETS, AZ_KV_SECRETS)");
  expect(() => createKeyEncryptionKey('HSM', 'x://y', {})).toThrow(/kek_type: no KMS key encryption provider for type 'HSM'/);
  expect(() => createKeyEncryptionKey('AWS', '', {})).toThrow('kek_uri is required for kek_type AWS');
  expect(Object.keys(KMS_PROVIDERS).sort()).toEqual(['AWS_SM_SECRETS', 'AZ_KV_SECRETS', 'GCP_SM_SECRETS']);
  expect(Object.keys(KEK_PROVIDERS).sort()).toEqual(['AWS', 'AZURE', 'GCP']);
});
