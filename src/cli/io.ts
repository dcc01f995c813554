// What a CLI command runs against: its streams, working directory and injectable dependencies, so tests
// can run every command in-process and the real binary uses the process's own.
import { createReadStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ProviderOptions } from '../keys/provider-registry';
import { CliFailure } from './args';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Relative paths are resolved against this. */
  cwd: string;
}

export interface CliDeps {
  /** Passed to the cloud KMS providers (client options, credentials), e.g. to reach an emulator. */
  providers?: ProviderOptions;
  /** Randomness for key generation (tests only). */
  random?: (n: number) => Buffer;
}

export function absolute(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** Writes and waits for the stream to accept more, so large outputs do not pile up in memory. */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((res, rej) => {
    const ok = stream.write(text, (err) => { if (err) rej(err); });
    if (ok) res();
    else stream.once('drain', () => res());
  });
}

/** Reads a whole file, or stdin for `-`; a missing file is a CliFailure naming the option and path. */
export async function readInput(io: CliIo, path: string, what: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    return Buffer.concat(chunks).toString('utf8');
  }
  const abs = absolute(io, path);
  try {
    return await readFile(abs, 'utf8');
  } catch (e) {
    throw new CliFailure(`${what} cannot be read: ${abs} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function inputStream(io: CliIo, path: string | undefined): Readable {
  if (path === undefined || path === '-') return io.stdin;
  return createReadStream(absolute(io, path));
}

/**
 * Writes a secret file: created owner-only (0600); replacing an existing file goes through a temporary file
 * and a rename, so a crash never leaves a half-written keyset, and the old file's mode is not widened.
 */
export function writeSecretFile(io: CliIo, path: string, text: string): string {
  const abs = absolute(io, path);
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliFailure(`cannot write ${abs} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return abs;
}
