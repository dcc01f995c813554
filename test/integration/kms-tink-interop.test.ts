// Encrypted keysets interoperate with Tink's own reader/writer (Python tink.integration.awskms) against the
// same emulated AWS KMS key (moto): Tink reads the encrypted keysets we write, we read the ones Tink writes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKeysetResolver } from '../../src/keys/keyset-resolver';
import { generateKeyset, keysetAead } from '../../src/keyset';
import { kekFor, providerDeps, rawValue, settingsFor, startClouds, storeKeyset, type Clouds } from '../support/cloud-fixtures';
import { credentialsFor, motoEndpoint } from '../support/moto';

const ROOT = join(__dirname, '..', '..');
const PYTHON = join(ROOT, '.testinfra', 'venv', 'bin', 'python');
const ORACLE = join(ROOT, 'test', 'interop', 'tink-awskms', 'tink_awskms_oracle.py');

function tink(request: Record<string, unknown>): Record<string, string> {
  if (!existsSync(PYTHON)) throw new Error(`no Python venv at ${PYTHON}: run scripts/testinfra/tink-oracle.sh and scripts/testinfra/moto.sh`);
  const out = spawnSync(PYTHON, [ORACLE], { input: JSON.stringify(request), encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) {
    throw new Error(`Tink oracle failed (needs tink from scripts/testinfra/tink-oracle.sh and boto3 from scripts/testinfra/moto.sh): ${out.stderr}`);
  }
  const answer = JSON.parse(out.stdout) as { ok: boolean; error?: string } & Record<string, string>;
  if (!answer.ok) throw new Error(`Tink oracle: ${answer.error}`);
  return answer;
}

let clouds: Clouds;
beforeAll(async () => { clouds = await startClouds(); });
afterAll(async () => { await clouds.stop(); });

const common = () => ({
  keyUri: `aws-kms://${clouds.awsKeyArn}`, endpoint: motoEndpoint(), region: clouds.region,
  accessKey: credentialsFor(clouds.region).accessKeyId, secretKey: credentialsFor(clouds.region).secretAccessKey,
  sessionToken: credentialsFor(clouds.region).sessionToken,
});
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('Tink (Python, awskms) reads the encrypted keyset we wrote with the AWS KEK', async () => {
  const kek = kekFor(clouds, 'AWS');
  const ks = generateKeyset({ algorithm: 'AES_GCM', identifier: 'ours', numKeys: 2 });
  const encryptedJson = await rawValue(ks, kek);
  await kek.close?.();
  const ad = Buffer.from('k4k-ad');
  const ours = keysetAead(ks).encrypt(Buffer.from('from node'), ad);
  const answer = tink({ ...common(), op: 'read', keyset: encryptedJson, ciphertext: ours.toString('base64'), ad: ad.toString('base64'), plaintext: b64('from tink') });
  expect(Buffer.from(answer.decrypted!, 'base64').toString()).toBe('from node');
  expect(keysetAead(ks).decrypt(Buffer.from(answer.encrypted!, 'base64'), ad).toString()).toBe('from tink');
});

test('we read the encrypted keyset Tink wrote (stored as a KMS_ENCRYPTED secret in Secrets Manager)', async () => {
  const ad = Buffer.from('tink-ad');
  const answer = tink({ ...common(), op: 'write', plaintext: b64('written by tink'), ad: ad.toString('base64') });
  const written = JSON.parse(answer.keyset!) as { encryptedKeyset: string; keysetInfo: unknown };
  expect(Object.keys(written).sort()).toEqual(['encryptedKeyset', 'keysetInfo']);
  await storeKeyset(clouds, 'AWS_SM_SECRETS', true, 'fromtink', answer.keyset!);
  const r = await createKeysetResolver(settingsFor(clouds, 'KMS_ENCRYPTED', 'AWS_SM_SECRETS', 'AWS'),
    { providers: providerDeps, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  const loaded = await r.resolve('fromtink');
  expect(keysetAead(loaded).decrypt(Buffer.from(answer.encrypted!, 'base64'), ad).toString()).toBe('written by tink');
  await r.close();
});
