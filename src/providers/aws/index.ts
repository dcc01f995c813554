// AWS provider: Secrets Manager keyset storage (kms_type AWS_SM_SECRETS) and KMS key encryption (kek_type AWS).
// Loaded only through src/keys/provider-registry.ts; the AWS SDK packages are optional peer dependencies.
export { createAwsSecretsManagerSource, AWS_PLAIN_PREFIX, AWS_ENCRYPTED_PREFIX } from './secrets-manager-source';
export type { AwsSecretsManagerSource, AwsSecretsManagerSourceOptions } from './secrets-manager-source';
export { createAwsKmsKek, parseAwsKekUri, AWS_KEK_PREFIX } from './kms-kek';
export type { AwsKmsKek } from './kms-kek';
export type { AwsProviderOptions } from './config';
