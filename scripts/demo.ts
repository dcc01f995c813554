// `npm run demo`: starts a local Kafka broker and the AWS emulator (unless KAFKA_BROKERS / AWS_ENDPOINT_URL
// point at running ones), runs the examples against them, and shuts everything down, also on Ctrl-C.
import { startKafkaBroker, type KafkaBroker } from '../src/dev/kafka-broker';
import { startMotoServer, type MotoServer } from '../src/dev/moto-server';
import { runQuickStart } from '../examples/quick-start';
import { runDeterministicKeys } from '../examples/deterministic-keys';
import { runFpeCardNumbers } from '../examples/fpe-card-numbers';
import { runDeadLetter } from '../examples/dead-letter';
import { runAwsKmsEncryptedKeysets } from '../examples/aws-kms-encrypted-keysets';
import type { ExampleContext } from '../examples/support';

// The pinned AWS SDK warns that its later releases need Node 22; not news for someone watching the demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const stops: Array<() => Promise<void>> = [];
const starting: Promise<unknown>[] = [];
let shuttingDown: Promise<never> | undefined;

/** Starts a service whose stop runs at shutdown, even when Ctrl-C comes while it is still starting. */
function startService<T extends { stop(): Promise<void> }>(start: () => Promise<T>): Promise<T> {
  const started = start().then((service) => { stops.push(() => service.stop()); return service; });
  starting.push(started);
  return started;
}

/** Stops the services once and exits with the first caller's code (a Ctrl-C makes the running example fail too). */
function shutdown(code: number): Promise<never> {
  shuttingDown ??= (async () => {
    await Promise.allSettled(starting);
    for (const stop of stops.reverse()) {
      try { await stop(); } catch (err) { console.error('shutdown:', err); }
    }
    process.exit(code);
  })();
  return shuttingDown;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping the demo services`);
    void shutdown(130);
  });
}

function section(title: string): void {
  console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}`);
}

async function main(): Promise<void> {
  const records = Number(process.env.DEMO_RECORDS ?? 2000);
  let brokers = process.env.KAFKA_BROKERS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!brokers?.length) {
    console.log('starting a local Apache Kafka broker (KRaft) on 127.0.0.1 ...');
    const broker: KafkaBroker = await startService(() => startKafkaBroker());
    brokers = broker.brokers;
  }
  let awsEndpoint = process.env.AWS_ENDPOINT_URL;
  if (!awsEndpoint) {
    console.log('starting the AWS emulator (moto: KMS and Secrets Manager) on 127.0.0.1 ...');
    const moto: MotoServer = await startService(() => startMotoServer());
    awsEndpoint = moto.url;
  }
  console.log(`Kafka: ${brokers.join(',')}   AWS emulator: ${awsEndpoint}`);
  const ctx: ExampleContext = { brokers, log: (line) => console.log(line) };

  section('1. quick start: JSON orders with encrypted email, phone and card');
  await runQuickStart(ctx, records);
  section('2. deterministic record keys keep partitioning');
  await runDeterministicKeys(ctx);
  section('3. format-preserving encryption of card numbers');
  await runFpeCardNumbers(ctx);
  section('4. dead-letter topic for records the consumer cannot decrypt');
  await runDeadLetter(ctx);
  section('5. keysets in AWS Secrets Manager, encrypted under an AWS KMS key');
  await runAwsKmsEncryptedKeysets({ ...ctx, awsEndpoint });
  section('done');
  console.log('demo finished: every record was encrypted on the topic and decrypted by the consumer');
}

main().then(() => shutdown(0), (err: unknown) => {
  if (shuttingDown === undefined) console.error('demo failed:', err);
  return shutdown(1);
});
