// Azure provider: Key Vault secrets keyset storage (kms_type AZ_KV_SECRETS) and Key Vault RSA key
// encryption (kek_type AZURE). Loaded only through src/keys/provider-registry.ts; SDKs are optional peers.
export { createAzureKeyVaultSource } from './key-vault-source';
export type { AzureKeyVaultSource } from './key-vault-source';
export { createAzureKeyVaultKek, createAzureEnvelopeKek, parseAzureKekUri, AZURE_KEK_PREFIX } from './key-vault-kek';
export type { AzureKeyVaultKek } from './key-vault-kek';
export { readAzureConfig } from './config';
export type { AzureProviderOptions } from './config';
export * as azureHybridFormat from './hybrid-format';
