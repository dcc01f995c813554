// Shared set-up for the cloud key-source integration tests: the three emulated clouds (moto for AWS,
// the in-process GCP and Key Vault fakes), their configs in Kryptonite's shapes, and ways to store
// keysets the way Kryptonite's docs tell users to (RAW JSON under the provider's secret names).
import { generateKeyPairSync } from 'node:crypto';
import type { KeyManagementSettings, KekType, KmsType, KeySource } from '../../src/config/types';
import type { KeysetResolverDeps } from '../../src/keys/keyset-resolver';
import type { KeyEncryptionKey } from '../../src/keys/ports';
import { createKeyEncryptionKey } from '../../src/keys/provider-registry';
import { encryptKeyset, type Keyset } from '../../src/keyset';
import { fakeAzureCredential, fakeKeyVaultClientOptions, startFakeKeyVault, type FakeKeyVault } from './fake-azure-key-vault';
import { startFakeGcp, type FakeGcp } from './fake-gcp';
import { createMotoKey, freshRegion, motoConfig, putMotoSecret } from './moto';

export const GCP_PROJECT = 'k4k-it';
/** A service-account key JSON as Kryptonite's kms_config takes it (the key is real but known to no server). */
const gcpServiceAccount = {
  type: 'service_account', project_id: GCP_PROJECT, client_email: 'it@k4k-it.iam.gserviceaccount.com',
  private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

export interface Clouds {
  region: string;
  awsKeyArn: string;
  gcp: FakeGcp;
  gcpKeyName: string;
  /** One vault per Kryptonite keyset family, as the docs advise for Azure (no prefixes there). */
  azurePlain: FakeKeyVault;
  azureEncrypted: FakeKeyVault;
  azureKid: string;
  stop(): Promise<void>;
}

export async function startClouds(): Promise<Clouds> {
  const region = await freshRegion();
  const awsKeyArn = await createMotoKey(region);
  const gcp = await startFakeGcp();
  const gcpKeyName = `projects/${GCP_PROJECT}/locations/global/keyRings/k4k/cryptoKeys/kek`;
  gcp.addKey(gcpKeyName);
  const azurePlain = await startFakeKeyVault();
  const azureEncrypted = await startFakeKeyVault();
  const azureKid = azureEncrypted.createRsaKey('kek');
  return {
    region, awsKeyArn, gcp, gcpKeyName, azurePlain, azureEncrypted, azureKid,
    stop: async () => { await Promise.all([gcp.stop(), azurePlain.stop(), azureEncrypted.stop()]); },
  };
}

export function kmsConfig(c: Clouds, kmsType: KmsType, encrypted: boolean): Record<string, unknown> {
  switch (kmsType) {
    case 'AWS_SM_SECRETS': return motoConfig(c.region);
    case 'GCP_SM_SECRETS': return { ...gcpServiceAccount, endpoint: c.gcp.endpoint, emulator: true };
    case 'AZ_KV_SECRETS': return { clientId: 'id', tenantId: 'tenant', clientSecret: 'secret', keyVaultUrl: (encrypted ? c.azureEncrypted : c.azurePlain).url };
    default: return {};
  }
}

export function kek(c: Clouds, kekType: KekType): { kekUri: string; kekConfig: Record<string, unknown> } {
  switch (kekType) {
    case 'AWS': return { kekUri: `aws-kms://${c.awsKeyArn}`, kekConfig: motoConfig(c.region) };
    case 'GCP': return { kekUri: `gcp-kms://${c.gcpKeyName}`, kekConfig: { ...gcpServiceAccount, endpoint: c.gcp.endpoint, emulator: true } };
    case 'AZURE': return { kekUri: c.azureKid.replace(/^https:\/\//, 'azure-kv://'), kekConfig: { clientId: 'id', tenantId: 'tenant', clientSecret: 'secret' } };
    default: return { kekUri: '', kekConfig: {} };
  }
}

/** Provider options that point the real SDK clients at the emulators (only Azure needs any). */
export const providerDeps: KeysetResolverDeps['providers'] = {
  azure: { credential: fakeAzureCredential, clientOptions: fakeKeyVaultClientOptions() },
  gcp: { callTimeoutMs: 5000 },
};

export function settingsFor(c: Clouds, keySource: KeySource, kmsType: KmsType, kekType: KekType, cipherDataKeys: KeyManagementSettings['cipherDataKeys'] = []): KeyManagementSettings {
  const encrypted = keySource === 'KMS_ENCRYPTED';
  return {
    keySource, cipherDataKeys, kmsType, kmsConfig: kmsConfig(c, kmsType, encrypted), kmsRefreshIntervalMinutes: 0, kekType, ...kek(c, kekType),
  };
}

export function kekFor(c: Clouds, kekType: KekType): KeyEncryptionKey & { close?(): Promise<void> } {
  const { kekUri, kekConfig } = kek(c, kekType);
  return createKeyEncryptionKey(kekType, kekUri, kekConfig, providerDeps);
}

/** The RAW secret value: plain Tink JSON, or the encrypted keyset JSON made with the KEK. */
export async function rawValue(ks: Keyset, keyEncryptionKey?: KeyEncryptionKey): Promise<string> {
  return JSON.stringify(keyEncryptionKey ? await encryptKeyset(ks, keyEncryptionKey) : ks.toTinkJson());
}

/** Stores a keyset under Kryptonite's secret name for the cloud and family. */
export async function storeKeyset(c: Clouds, kmsType: KmsType, encrypted: boolean, id: string, value: string): Promise<void> {
  switch (kmsType) {
    case 'AWS_SM_SECRETS':
      return putMotoSecret(c.region, `k4k/${encrypted ? 'tink_encrypted' : 'tink_plain'}/${id}`, value);
    case 'GCP_SM_SECRETS':
      return c.gcp.putSecret(GCP_PROJECT, `${encrypted ? 'k4k-tink-encrypted_' : 'k4k-tink-plain_'}${id}`, value);
    case 'AZ_KV_SECRETS':
      return (encrypted ? c.azureEncrypted : c.azurePlain).setSecret(id, value);
    default:
      throw new Error(`no store for ${kmsType}`);
  }
}
