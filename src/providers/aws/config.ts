// kms_config / kek_config for AWS as Kryptonite reads them ({accessKey, secretKey, region}) plus our
// optional extensions (sessionToken, endpoint). Absent keys fall back to the SDK's default chain.
import { ConfigError } from '../../errors';
import { configObject, definedOnly, optionalString } from '../../keys/provider-config';

export interface AwsProviderOptions {
  /** Merged last into the SDK client configuration (tests: maxAttempts, requestHandler, ...). */
  clientOptions?: Record<string, unknown>;
}

export interface AwsConnection {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  endpoint?: string;
}

export function readAwsConfig(raw: unknown, option: string): AwsConnection {
  const cfg = configObject(raw, option);
  const accessKeyId = optionalString(cfg, 'accessKey', option);
  const secretAccessKey = optionalString(cfg, 'secretKey', option);
  const sessionToken = optionalString(cfg, 'sessionToken', option);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError('CONFIG_INVALID',
      `${option}: accessKey and secretKey must be given together (or both left out to use the AWS default credential chain)`);
  }
  return {
    region: optionalString(cfg, 'region', option),
    credentials: accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey, ...definedOnly({ sessionToken }) } : undefined,
    endpoint: optionalString(cfg, 'endpoint', option),
  };
}

/**
 * SDK client configuration. Unset values are left out entirely: an explicit `endpoint: undefined`
 * would hide AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_KMS and friends from the SDK's own resolution.
 */
export function awsClientConfig(conn: AwsConnection, options: AwsProviderOptions = {}): Record<string, unknown> {
  return { ...definedOnly({ region: conn.region, credentials: conn.credentials, endpoint: conn.endpoint }), ...options.clientOptions };
}
