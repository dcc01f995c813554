// kms_type GCP_SM_SECRETS: keysets stored in Google Secret Manager under projects/<project>/secrets/
// k4k-tink-plain_<id> or k4k-tink-encrypted_<id>, version "latest", payload = RAW keyset JSON (UTF-8).
import type * as SecretManager from '@google-cloud/secret-manager';
import { ConfigError, KeysetError, KmsError } from '../../errors';
import { callKms } from '../../keys/kms-errors';
import { requireOptional } from '../../keys/optional-require';
import type { DescribedKeysetSource } from '../../keys/ports';
import { crc32c } from './crc32c';
import { gcpCallOptions, gcpClientOptions, readGcpConfig, type GcpProviderOptions } from './config';
import { classifyGcpError } from './errors';

export const GCP_PLAIN_PREFIX = 'k4k-tink-plain_';
export const GCP_ENCRYPTED_PREFIX = 'k4k-tink-encrypted_';
const PKG = '@google-cloud/secret-manager';

export interface GcpSecretManagerSourceOptions extends GcpProviderOptions {
  encrypted?: boolean;
}

export interface GcpSecretManagerSource extends DescribedKeysetSource {
  readonly projectId: string;
  secretName(identifier: string): string;
  close(): Promise<void>;
}

export function createGcpSecretManagerSource(kmsConfig: unknown, options: GcpSecretManagerSourceOptions = {}): GcpSecretManagerSource {
  const sdk = requireOptional<typeof SecretManager>(PKG, 'kms_type GCP_SM_SECRETS');
  const conn = readGcpConfig(kmsConfig, 'kms_config');
  const projectId = conn.projectId;
  if (projectId === undefined) {
    throw new ConfigError('CONFIG_INVALID',
      'kms_config: no GCP project id (give the service-account key JSON with project_id, or {"credentials", "projectId"})');
  }
  const client = new sdk.SecretManagerServiceClient(
    gcpClientOptions(conn, PKG, options) as ConstructorParameters<typeof sdk.SecretManagerServiceClient>[0]);
  const prefix = options.encrypted === true ? GCP_ENCRYPTED_PREFIX : GCP_PLAIN_PREFIX;
  const parent = `projects/${projectId}`;
  const secretName = (id: string): string => `${parent}/secrets/${prefix}${id}`;
  const call = gcpCallOptions(options);

  return {
    projectId,
    secretName,
    describe: (id) => `GCP Secret Manager secret '${secretName(id)}'`,
    async list() {
      return callKms(`GCP Secret Manager: listing secrets '${prefix}*' in ${parent}`, classifyGcpError, async () => {
        const ids: string[] = [];
        for await (const secret of client.listSecretsAsync({ parent, pageSize: 250 }, call)) {
          const id = (secret.name ?? '').split('/secrets/')[1] ?? '';
          if (id.startsWith(prefix) && id.length > prefix.length) ids.push(id.slice(prefix.length));
        }
        return ids;
      });
    },
    async get(identifier) {
      const name = `${secretName(identifier)}/versions/latest`;
      const [version] = await callKms(`GCP Secret Manager: reading '${name}'`, classifyGcpError,
        () => client.accessSecretVersion({ name }, call));
      const data = version.payload?.data;
      if (data === undefined || data === null) {
        throw new KeysetError('KEYSET_MALFORMED', `GCP secret '${secretName(identifier)}' has no payload`);
      }
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
      const expected = version.payload?.dataCrc32c;
      if (expected !== undefined && expected !== null && Number(expected) !== crc32c(bytes)) {
        throw new KmsError('KMS_INTEGRITY', `GCP secret '${secretName(identifier)}': payload checksum mismatch in transit`, { retriable: true });
      }
      return bytes.toString('utf8');
    },
    async close() {
      await client.close();
    },
  };
}
