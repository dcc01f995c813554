// Keysets stored in AWS Secrets Manager, themselves encrypted under an AWS KMS key (key_source KMS_ENCRYPTED):
// the application holds no key material at all. Runs against a local AWS emulator (moto) given by
// AWS_ENDPOINT_URL; with real AWS, drop the endpoint and use your credentials chain.
// Run: AWS_ENDPOINT_URL=http://127.0.0.1:4566 KAFKA_BROKERS=127.0.0.1:9092 npx ts-node examples/aws-kms-encrypted-keysets.ts
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  Kryptonite, createKeyEncryptionKey, decryptingConsumer, encryptKeyset, encryptingProducer, generateKeyset, type TopicRule,
} from '../src';
import { createTopics, kafkaClient, producerConfig, readRaw, runMain, untilCount, type ExampleContext } from './support';

const REGION = 'eu-central-1';

export async function runAwsKmsEncryptedKeysets(ctx: ExampleContext & { awsEndpoint: string }): Promise<{ roundTrip: boolean }> {
  // Emulator credentials; Kryptonite's kms_config / kek_config shape plus our `endpoint` extension.
  const aws = { accessKey: 'demo', secretKey: 'demo', region: REGION, endpoint: ctx.awsEndpoint };
  const sdk = { region: REGION, endpoint: ctx.awsEndpoint, credentials: { accessKeyId: aws.accessKey, secretAccessKey: aws.secretKey } };

  // 1. A KMS key to encrypt keysets with (once, by an administrator).
  const kms = new KMSClient(sdk);
  const created = await kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }));
  kms.destroy();
  const kekUri = `aws-kms://${created.KeyMetadata!.Arn!}`;

  // 2. A keyset, encrypted under that key and stored as the secret k4k/tink_encrypted/<identifier>
  //    (what `kryptonite-kafkajs keyset -a AES_GCM -f RAW -e --kek-type AWS ...` produces).
  const identifier = `customers-${Date.now().toString(36)}`;
  const kek = createKeyEncryptionKey('AWS', kekUri, aws);
  const encrypted = await encryptKeyset(generateKeyset({ algorithm: 'AES_GCM' }), kek);
  await kek.close?.();
  const sm = new SecretsManagerClient(sdk);
  await sm.send(new CreateSecretCommand({ Name: `k4k/tink_encrypted/${identifier}`, SecretString: JSON.stringify(encrypted) }));
  sm.destroy();

  // 3. The application: keysets listed and loaded from Secrets Manager, decrypted with KMS at startup.
  const kryptonite = await Kryptonite.create({
    key_source: 'KMS_ENCRYPTED',
    kms_type: 'AWS_SM_SECRETS', kms_config: JSON.stringify(aws),
    kek_type: 'AWS', kek_uri: kekUri, kek_config: JSON.stringify(aws),
    cipher_data_key_identifier: identifier,
  });
  const topic = `customers-${Date.now().toString(36)}`;
  const topics: TopicRule[] = [{ topic, value: { fields: [{ name: 'ssn' }] } }];
  const kafka = kafkaClient(ctx, 'aws-kms-example');
  await createTopics(kafka, [topic]);
  const producer = encryptingProducer(kafka.producer(producerConfig), { kryptonite, topics });
  await producer.connect();
  const record = { customer: 'C-1', ssn: '078-05-1120' };
  await producer.send({ topic, messages: [{ value: JSON.stringify(record) }] });
  await producer.disconnect();
  const [raw] = await readRaw(kafka, topic, 1);
  const consumer = decryptingConsumer(kafka.consumer({ groupId: `aws-${topic}` }), { kryptonite, topics });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const [back] = await untilCount<string>(1, 60_000, (push) => consumer.run({
    eachMessage: async ({ message }) => { push(message.value!.toString('utf8')); },
  }));
  await consumer.disconnect();
  await kryptonite.close();
  ctx.log(`keyset '${identifier}' stored encrypted in Secrets Manager under ${kekUri}`);
  ctx.log(`stored: ${raw?.value?.toString('utf8')}`);
  ctx.log(`decrypted: ${back}`);
  return { roundTrip: back === JSON.stringify(record) };
}

if (require.main === module) {
  runMain((ctx) => runAwsKmsEncryptedKeysets({ ...ctx, awsEndpoint: process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566' }));
}
