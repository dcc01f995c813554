// GCP provider: Secret Manager keyset storage (kms_type GCP_SM_SECRETS) and Cloud KMS key encryption
// (kek_type GCP). Loaded only through src/keys/provider-registry.ts; the Google clients are optional peers.
export { createGcpSecretManagerSource, GCP_PLAIN_PREFIX, GCP_ENCRYPTED_PREFIX } from './secret-manager-source';
export type { GcpSecretManagerSource, GcpSecretManagerSourceOptions } from './secret-manager-source';
export { createGcpKmsKek, parseGcpKekUri, GCP_KEK_PREFIX } from './kms-kek';
export type { GcpKmsKek } from './kms-kek';
export { readGcpConfig } from './config';
export type { GcpProviderOptions } from './config';
