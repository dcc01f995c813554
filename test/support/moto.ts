// Access to the moto server started by test/setup/services/aws.service.ts: its URL, static test
// credentials, and helpers to create KMS keys and secrets through the real AWS SDK.
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, PutSecretValueCommand, DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

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
  return { accessKey: MOTO_CREDENTIALS.accessKeyId, secretKey: MOTO_CREDENTIALS.secretAccessKey, region, endpoint: motoEndpoint() };
}

const clientConfig = (region: string) => ({ region, endpoint: motoEndpoint(), credentials: MOTO_CREDENTIALS });

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
const REGIONS = ['us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1', 'eu-south-1',
  'ap-east-1', 'me-south-1', 'af-south-1', 'ap-northeast-3', 'eu-central-2', 'ap-south-2', 'ap-southeast-3', 'me-central-1'];

/**
 * A region only this test uses, emptied of secrets: Secrets Manager is regional, so listing then sees
 * only this test's secrets. Each jest worker owns its own slice of 6 regions (test files on one worker
 * run one after another, hence the cleanup).
 */
export async function freshRegion(): Promise<string> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1') - 1;
  const region = REGIONS[(worker * 6 + (counter++ % 6)) % REGIONS.length] as string;
  const sm = new SecretsManagerClient(clientConfig(region));
  try {
    let token: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ ...(token ? { NextToken: token } : {}) }));
      for (const s of page.SecretList ?? []) {
        if (s.Name) await sm.send(new DeleteSecretCommand({ SecretId: s.Name, ForceDeleteWithoutRecovery: true }));
      }
      token = page.NextToken || undefined;
    } while (token);
  } finally {
    sm.destroy();
  }
  return region;
}
