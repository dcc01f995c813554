// The CLI against the emulated clouds (moto for AWS, the in-process GCP and Key Vault fakes): keysets made
// with `keyset -e` load through key_source CONFIG_ENCRYPTED (FULL, inline) and KMS_ENCRYPTED (RAW, stored
// as the secret), records round-trip through `encrypt`/`decrypt`, and `inspect`/`rotate` open them with the KEK.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { KekType, KmsType } from '../../src/config/types';
import { parseJsonText } from '../../src/codec/json-text';
import { kek, kmsConfig, providerDeps, startClouds, storeKeyset, type Clouds } from '../support/cloud-fixtures';
import { createMotoKey } from '../support/moto';
import { watchConnections, type LoopbackGuard } from '../support/loopback-guard';
import { cli, cliOk, tempDir } from '../cli/cli-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let clouds: Clouds;
let guard: LoopbackGuard;
let dir: string;
let cleanup: () => void;
const deps = { providers: providerDeps ?? {} };

beforeAll(async () => {
  process.env.METADATA_SERVER_DETECTION = 'none';
  guard = watchConnections();
  clouds = await startClouds();
  ({ dir, cleanup } = tempDir());
});
afterAll(async () => {
  await clouds?.stop();
  guard?.restore();
  cleanup?.();
});

const RECORDS = [
  { email: 'alice@example.com', account: { id: 'acc-1', balance: 9007199254740993n } },
  { email: 'bob@example.com', account: { id: 'acc-2', balance: -1 } },
];
const INPUT = RECORDS.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER + 2 : v))
  .replace(String(Number.MAX_SAFE_INTEGER + 2), '9007199254740993')).join('\n');

function kekArgs(type: KekType, name: string): string[] {
  const { kekUri, kekConfig } = kek(clouds, type);
  const file = join(dir, `${name}-kek.json`);
  writeFileSync(file, JSON.stringify(kekConfig));
  return ['--kek-type', type, '--kek-uri', kekUri, '--kek-config', file];
}

async function roundTrip(configFile: string): Promise<string> {
  const enc = await cliOk(['encrypt', '-c', configFile], { stdin: INPUT, deps });
  for (const secret of ['alice@example.com', 'acc-1', '9007199254740993']) expect(enc.stdout).not.toContain(secret);
  const dec = await cliOk(['decrypt', '-c', configFile], { stdin: enc.stdout, deps });
  expect(dec.stdout.trim().split('\n').map((l) => parseJsonText(l))).toEqual(RECORDS);
  return enc.stdout;
}

const KMS_TYPE: Record<Exclude<KekType, 'NONE'>, KmsType> = { AWS: 'AWS_SM_SECRETS', GCP: 'GCP_SM_SECRETS', AZURE: 'AZ_KV_SECRETS' };

describe.each(['AWS', 'GCP', 'AZURE'] as const)('%s KEK', (type) => {
  const fullFile = (): string => join(dir, `${type}-full.json`);
  const configFile = (): string => join(dir, `${type}-config.yaml`);

  test('keyset -e FULL: an encrypted keyset with keysetInfo only; loads through key_source CONFIG_ENCRYPTED', async () => {
    const r = await cliOk(['keyset', '-a', 'AES_GCM', '-i', `enc-${type}`, '-n', '2', '--initial-key-id', '500', '-e', ...kekArgs(type, type), '-o', fullFile()], { deps });
    expect(r.stderr).toBe(`Keyset written to: ${fullFile()}\n`);
    const full = JSON.parse(readFileSync(fullFile(), 'utf8')) as Json;
    expect(Object.keys(full)).toEqual(['identifier', 'material']);
    expect(Object.keys(full.material)).toEqual(['encryptedKeyset', 'keysetInfo']);
    expect(full.material.keysetInfo).toEqual({
      primaryKeyId: 500,
      keyInfo: [500, 501].map((keyId) => ({ typeUrl: 'type.googleapis.com/google.crypto.tink.AesGcmKey', status: 'ENABLED', keyId, outputPrefixType: 'TINK' })),
    });
    const { kekUri, kekConfig } = kek(clouds, type);
    writeFileSync(configFile(), stringifyYaml({
      key_source: 'CONFIG_ENCRYPTED', cipher_data_keys: [full], cipher_data_key_identifier: `enc-${type}`,
      kek_type: type, kek_uri: kekUri, kek_config: kekConfig, field_config: [{ name: 'email' }, { name: 'account.id' }, { name: 'account.balance' }],
    }));
    await roundTrip(configFile());
  });

  test('keyset -e RAW stored as the secret: loads through key_source KMS_ENCRYPTED', async () => {
    const id = `raw-siv-${type.toLowerCase()}`;
    const raw = (await cliOk(['keyset', '-a', 'AES_GCM_SIV', '-f', 'RAW', '-e', ...kekArgs(type, `${type}-raw`)], { deps })).stdout;
    const value = JSON.parse(raw) as Json;
    expect(Object.keys(value)).toEqual(['encryptedKeyset', 'keysetInfo']);
    await storeKeyset(clouds, KMS_TYPE[type], true, id, raw.trim());
    const { kekUri, kekConfig } = kek(clouds, type);
    const cfg = join(dir, `${type}-kms.json`);
    // JSON-valued parameters as JSON text this time, as a Connect config would carry them
    writeFileSync(cfg, JSON.stringify({
      key_source: 'KMS_ENCRYPTED', kms_type: KMS_TYPE[type], kms_config: JSON.stringify(kmsConfig(clouds, KMS_TYPE[type], true)),
      kek_type: type, kek_uri: kekUri, kek_config: JSON.stringify(kekConfig), cipher_data_keys: '[]', cipher_data_key_identifier: id,
      cipher_algorithm: 'TINK/AES_GCM_SIV', field_config: JSON.stringify([{ name: 'email' }, { name: 'account' }]),
    }));
    const a = await roundTrip(cfg);
    expect((await cliOk(['encrypt', '-c', cfg], { stdin: INPUT, deps })).stdout).toBe(a); // deterministic
  });

  test('inspect with the KEK decrypts and shows key sizes; without it, keysetInfo', async () => {
    const withKek = JSON.parse((await cliOk(['inspect', '--json', ...kekArgs(type, `${type}-i`), fullFile()], { deps })).stdout) as Json;
    expect(withKek.keysets[0]).toMatchObject({ identifier: `enc-${type}`, encrypted: true, decrypted: true, primaryKeyId: 500 });
    expect(withKek.keysets[0].keys.map((k: Json) => [k.keyId, k.keySizeBits, k.prefix])).toEqual([[500, 256, '01000001f4'], [501, 256, '01000001f5']]);
    expect(withKek.keysets[0].note).toBeUndefined();
    const without = (await cliOk(['inspect', fullFile()])).stdout;
    expect(without).toContain(`keyset 'enc-${type}': encrypted (from keysetInfo), primary 500, 2 keys`);
  });

  test('rotate --promote re-encrypts with the KEK: still encrypted, new primary, old records still decrypt', async () => {
    const before = (await cliOk(['encrypt', '-c', configFile()], { stdin: INPUT, deps })).stdout;
    const r = await cliOk(['rotate', '--promote', ...kekArgs(type, `${type}-r`), fullFile()], { deps });
    expect(r.stderr).toContain(`Added key 502 to keyset 'enc-${type}'; primary is 502`);
    const full = JSON.parse(readFileSync(fullFile(), 'utf8')) as Json;
    expect(Object.keys(full.material)).toEqual(['encryptedKeyset', 'keysetInfo']);
    expect(full.material.keysetInfo.primaryKeyId).toBe(502);
    const cfg = join(dir, `${type}-rotated.yaml`);
    const { kekUri, kekConfig } = kek(clouds, type);
    writeFileSync(cfg, stringifyYaml({
      key_source: 'CONFIG_ENCRYPTED', cipher_data_keys: [full], cipher_data_key_identifier: `enc-${type}`,
      kek_type: type, kek_uri: kekUri, kek_config: kekConfig, field_config: [{ name: 'email' }, { name: 'account.id' }, { name: 'account.balance' }],
    }));
    const dec = await cliOk(['decrypt', '-c', cfg], { stdin: before, deps });
    expect(dec.stdout.trim().split('\n').map((l) => parseJsonText(l))).toEqual(RECORDS);
    const after = (await cliOk(['encrypt', '-c', cfg], { stdin: INPUT, deps })).stdout;
    const ct = Buffer.from((parseJsonText(after.split('\n')[0] as string) as Json).email as string, 'base64');
    expect(ct.includes(Buffer.from('01000001f6', 'hex'))).toBe(true); // Tink prefix of key 502
  });
});

test('AWS: -k 2 encrypted FULL array; a KEK that did not encrypt the keyset fails the config with exit 1', async () => {
  const out = JSON.parse((await cliOk(['keyset', '-a', 'FPE_FF31', '-i', 'fpe', '-k', '2', '-e', ...kekArgs('AWS', 'arr')], { deps })).stdout) as Json[];
  expect(out.map((e) => [e.identifier, e.material.keysetInfo.primaryKeyId])).toEqual([['fpe_1', 10000], ['fpe_2', 10001]]);
  const { kekUri, kekConfig } = kek(clouds, 'AWS');
  const base = {
    key_source: 'CONFIG_ENCRYPTED', cipher_data_keys: out, cipher_data_key_identifier: 'fpe_2', cipher_algorithm: 'CUSTOM/MYSTO_FPE_FF3_1',
    kek_type: 'AWS', kek_config: kekConfig, field_config: [{ name: 'card', fpeAlphabetType: 'DIGITS' }],
  };
  const cfg = join(dir, 'wrong-kek.yaml');
  writeFileSync(cfg, stringifyYaml({ ...base, kek_uri: `aws-kms://${await createMotoKey(clouds.region)}` }));
  const r = await cli(['encrypt', '-c', cfg], { stdin: '{"card":"4111111111111111"}', deps });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(new RegExp(`^Error: --config file ${cfg}: `));
  expect(r.stdout).toBe('');
  // with the KEK that encrypted them, the FPE keysets work
  writeFileSync(cfg, stringifyYaml({ ...base, kek_uri: kekUri }));
  const enc = (await cliOk(['encrypt', '-c', cfg], { stdin: '{"card":"4111111111111111"}', deps })).stdout;
  expect((parseJsonText(enc.trim()) as Json).card).toMatch(/^\d{16}$/);
  expect((await cliOk(['decrypt', '-c', cfg], { stdin: enc, deps })).stdout).toBe('{"card":"4111111111111111"}\n');
});
