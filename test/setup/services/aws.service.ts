// Starts moto server (AWS KMS + Secrets Manager emulator) on 127.0.0.1 for the AWS provider tests.
// Use an existing one with K4K_AWS_ENDPOINT=http://127.0.0.1:<port>; otherwise it needs
// scripts/testinfra/moto.sh to have installed moto into .testinfra/venv.
import { startMotoServer } from '../../../src/dev/moto-server';
import type { StartedService } from '../service';

export async function start(): Promise<StartedService> {
  const existing = process.env.K4K_AWS_ENDPOINT;
  if (existing) return { name: 'aws', env: { K4K_AWS_ENDPOINT: existing }, stop: async () => {} };
  const moto = await startMotoServer();
  return { name: 'aws', env: { K4K_AWS_ENDPOINT: moto.url }, stop: () => moto.stop() };
}
