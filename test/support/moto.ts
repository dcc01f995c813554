// Access to the moto server started by test/setup/services/aws.service.ts: its URL, static test
// credentials, and helpers to create KMS keys and secrets through the real AWS SDK.
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, PutSecretValueCommand, DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const MOTO_CREDENTIALS = { accessKeyId: 'k4k-test', secretAccessKey: 'k4k-test' };

export function motoEndpoint(): string {
  const url = process.env.K4K_AWS_ENDPOINT;
  if (!url) {
    throw new Error('K4K_AWS_ENDPOINT is not set: the AWS tests need moto server, started by test/setup/services/aws.service.ts '
      + '(run scripts/testinfra/moto.sh once, then jest with K4K_SERVICES including "aws", or point K4K_AWS_ENDPOINT at a running moto)');
  }
  return url;
}

/** kms_config / kek_config in Kryptonite's shape plus our endpoint extension. */
export function motoConfig(region: string): Record<string, string> {
  const c = credentialsFor(region);
  return { accessKey: c.accessKeyId, secretKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}), region, endpoint: motoEndpoint() };
}

const clientConfig = (region: string) => ({ region, endpoint: motoEndpoint(), credentials: credentialsFor(region) });

/** A fresh symmetric KMS key; returns its ARN. */
export async function createMotoKey(region: string): Promise<string> {
  const kms = new KMSClient(clientConfig(region));
  try {
    const out = await kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }));
    const arn = out.KeyMetadata?.Arn;
    if (!arn) throw new Error('moto CreateKey returned no ARN');
    return arn;
  } finally {
    kms.destroy();
  }
}

export async function putMotoSecret(region: string, name: string, value: string): Promise<void> {
  const sm = new SecretsManagerClient(clientConfig(region));
  try {
    try {
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceExistsException') throw err;
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    }
  } finally {
    sm.destroy();
  }
}

export async function deleteMotoSecret(region: string, name: string): Promise<void> {
  const sm = new SecretsManagerClient(clientConfig(region));
  try {
    await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
  } finally {
    sm.destroy();
  }
}

let counter = 0;
const REGIONS = ['us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1'];
const scoped = new Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken: string }>();

/** The credentials of the moto account behind a region handed out by freshRegion (static ones otherwise). */
export function credentialsFor(region: string): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  return scoped.get(region) ?? MOTO_CREDENTIALS;
}

/**
 * A region in a moto account of its own: STS AssumeRole into a random account id gives credentials that
 * moto maps to that account, so listing sees only this test's secrets even when test files run in
 * parallel. (A raw query-protocol call: the STS client is not a dependency.)
 */
export async function freshRegion(): Promise<string> {
  const region = REGIONS[counter++ % REGIONS.length] as string;
  const account = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
  const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: `arn:aws:iam::${account}:role/k4k-test`, RoleSessionName: 'k4k' });
  const res = await fetch(`${motoEndpoint()}/`, { method: 'POST', body, headers: {
    'content-type': 'application/x-www-form-urlencoded',
    // moto routes a request to a service by the credential scope of its Authorization header (not verified).
    authorization: `AWS4-HMAC-SHA256 Credential=${MOTO_CREDENTIALS.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
  } });
  const xml = await res.text();
  const field = (name: string): string => {
    const m = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml);
    if (!res.ok || !m?.[1]) throw new Error(`moto AssumeRole failed (HTTP ${res.status})`);
    return m[1];
  };
  scoped.set(region, { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken') });
  return region;
}
