// Starts the real services the test suite uses (Kafka broker, cloud emulators, Schema Registry) on 127.0.0.1.
// Every `services/*.service.ts` module exports `start(): Promise<StartedService>`; each one honours its own
// "use an existing instance" environment variable. K4K_SERVICES=none skips all (unit-test runs while developing),
// K4K_SERVICES=kafka,aws starts only those. CI runs with everything.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedService } from './service';

export default async function globalSetup(): Promise<void> {
  // The pinned AWS SDK warns on every run that later releases need Node 22; it says nothing about the code under test.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const wanted = (process.env.K4K_SERVICES ?? 'all').split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.includes('none')) return;
  const dir = join(__dirname, 'services');
  const names = readdirSync(dir).filter((f) => f.endsWith('.service.ts')).map((f) => f.replace(/\.service\.ts$/, ''))
    .filter((n) => wanted.includes('all') || wanted.includes(n)).sort();
  const results = await Promise.allSettled(names.map(async (n) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, `${n}.service.ts`)) as { start(): Promise<StartedService> };
    return mod.start();
  }));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  (globalThis as { __K4K_SERVICES__?: StartedService[] }).__K4K_SERVICES__ = started;
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${names[i]}: ${String(r.reason)}`] : []));
  if (failed.length > 0) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw new Error(`test services failed to start:\n${failed.join('\n')}`);
  }
  for (const s of started) Object.assign(process.env, s.env);
}
