// Runs the README's demo command end to end: it must start its own broker and AWS emulator, show ciphertext
// on the topic beside the decrypted record, and shut everything down, also on Ctrl-C.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function demoEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DEMO_RECORDS: '300' };
  delete env.KAFKA_BROKERS; // the demo must start its own services
  delete env.AWS_ENDPOINT_URL;
  return env;
}

function run(command: string, args: string[], onOutput?: (all: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(command, args, { cwd: root, env: demoEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const take = (b: Buffer) => { out += b.toString('utf8'); onOutput?.(out, child); };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

describe('npm run demo', () => {
  it('runs every example against services it starts itself and prints ciphertext beside plaintext', async () => {
    const { code, out } = await run('npm', ['run', 'demo']);
    expect({ code, tail: code === 0 ? '' : out.slice(-3000) }).toEqual({ code: 0, tail: '' });
    expect(out).toContain('starting a local Apache Kafka broker');
    expect(out).toContain('starting the AWS emulator');
    const stored = /stored on the topic.*:\n {2}(.*)/.exec(out)?.[1] ?? '';
    const decrypted = /received by the decrypting consumer:\n {2}(.*)/.exec(out)?.[1] ?? '';
    const storedDoc = JSON.parse(stored) as { orderId: string; customer: Record<string, string>; card: unknown };
    const decryptedDoc = JSON.parse(decrypted) as typeof storedDoc;
    expect(storedDoc.customer.email).toMatch(/^azIwMDAy/);
    expect(typeof storedDoc.card).toBe('string');
    expect(stored).not.toContain('@example.com');
    expect(decryptedDoc.orderId).toBe(storedDoc.orderId);
    expect(decryptedDoc.customer.email).toBe(`customer${storedDoc.orderId.split('-')[1]}@example.com`);
    expect(out).toMatch(/throughput: \d+ records\/s produced, \d+ records\/s consumed/);
    expect(out).toContain("each customer's records landed in 1 partition");
    expect(out).toMatch(/card number 4111111111111111 is stored as (\d{16}) \(16 digits\) and read back as 4111111111111111/);
    expect(out).toContain('8 invoices delivered decrypted, 2 sent to');
    expect(out).toContain('decrypted: {"customer":"C-1","ssn":"078-05-1120"}');
    expect(out).toContain('demo finished');
  }, 300_000);

  it('stops its broker and emulator on Ctrl-C', async () => {
    let signalled = false;
    const { code, out } = await run(join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/demo.ts'], (all, child) => {
      if (!signalled && all.includes('=== 1.')) { signalled = true; child.kill('SIGINT'); }
    });
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(out).toContain('SIGINT: stopping the demo services');
    const kafkaPort = Number(/Kafka: 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    const motoPort = Number(/AWS emulator: http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
    expect(kafkaPort).toBeGreaterThan(0);
    expect(await listening(kafkaPort)).toBe(false);
    expect(await listening(motoPort)).toBe(false);
  }, 180_000);
});
