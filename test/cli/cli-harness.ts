// Runs the CLI in-process with string stdin and captured stdout/stderr, like a shell would see them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli, type CliDeps } from '../../src/cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function cli(argv: string[], opts: { stdin?: string; cwd?: string; deps?: CliDeps } = {}): Promise<CliResult> {
  const out = collector();
  const err = collector();
  const code = await runCli(argv, { stdin: Readable.from([Buffer.from(opts.stdin ?? '')]), stdout: out.stream, stderr: err.stream, cwd: opts.cwd ?? process.cwd() }, opts.deps ?? {});
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Runs and insists on exit code 0, showing stderr otherwise. */
export async function cliOk(argv: string[], opts: Parameters<typeof cli>[1] = {}): Promise<CliResult> {
  const r = await cli(argv, opts);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'k4k-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic "randomness" so two runs produce the same keys (JSON vs YAML comparisons). */
export function seededRandom(seed: number): (n: number) => Buffer {
  let x = seed >>> 0;
  return (n) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      b[i] = x >>> 24;
    }
    return b;
  };
}
