// The real executable: src/ compiled with the build config into a package-shaped temporary directory
// (package.json, bin/kryptonite-kafkajs, dist/), then run as a child process the way npm would link it.
import { spawnSync, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../cli/cli-harness';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin?: Record<string, string>; files?: string[] };

let pkgDir: string;
let work: string;
const cleanups: Array<() => void> = [];
let bin: string;

beforeAll(() => {
  const p = tempDir();
  const w = tempDir();
  cleanups.push(p.cleanup, w.cleanup);
  pkgDir = p.dir;
  work = w.dir;
  copyFileSync(join(ROOT, 'package.json'), join(pkgDir, 'package.json'));
  mkdirSync(join(pkgDir, 'bin'));
  bin = join(pkgDir, pkg.bin?.['kryptonite-kafkajs'] ?? 'bin/kryptonite-kafkajs');
  copyFileSync(join(ROOT, 'bin', 'kryptonite-kafkajs'), bin);
  execFileSync('chmod', ['+x', bin]);
  symlinkSync(join(ROOT, 'node_modules'), join(pkgDir, 'node_modules'), 'dir');
  // tsc emits even when some other module has a type error; type checking is `npm run typecheck`'s job
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'),
    '--outDir', join(pkgDir, 'dist'), '--declaration', 'false', '--sourceMap', 'false'], { encoding: 'utf8' });
  if (!existsSync(join(pkgDir, 'dist', 'cli', 'main.js'))) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
}, 180_000);
afterAll(() => { for (const c of cleanups) c(); });

function run(args: string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { cwd: work, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('package.json declares the bin, and npm would pack the launcher', () => {
  expect(pkg.bin).toEqual({ 'kryptonite-kafkajs': 'bin/kryptonite-kafkajs' });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as Array<{ files: Array<{ path: string; mode: number }> }>;
  const launcher = packed[0]?.files.find((f) => f.path === 'bin/kryptonite-kafkajs');
  expect(launcher).toBeDefined();
  expect((launcher?.mode ?? 0) & 0o111).not.toBe(0);
  expect(readFileSync(join(ROOT, 'bin', 'kryptonite-kafkajs'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
}, 60_000);

test('--version and exit codes 0 / 1 / 2 from the executable', () => {
  expect(run(['--version'])).toEqual({ code: 0, stdout: `kryptonite-kafkajs ${pkg.version}\n`, stderr: '' });
  expect(run(['keyset', '-a', 'AES_GCM']).code).toBe(1);
  const usage = run(['keyset', '-a', 'DES']);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("Invalid value for option '--algorithm'");
});

test('keyset to a file, then encrypt | decrypt round-trips; a tampered record exits 1 naming its line', () => {
  const made = run(['keyset', '-a', 'AES_GCM', '-i', 'bin-key', '-o', 'key.json']);
  expect(made).toEqual({ code: 0, stdout: '', stderr: `Keyset written to: ${join(work, 'key.json')}\n` });
  writeFileSync(join(work, 'k4k.yaml'), `cipher_data_keys:\n  - ${readFileSync(join(work, 'key.json'), 'utf8').trim()}\ncipher_data_key_identifier: bin-key\nfield_config:\n  - name: secret\n`);
  const input = '{"secret":{"nested":[1,"x"]},"n":1}\n{"secret":"top","n":9223372036854775807}\n';
  const enc = run(['encrypt', '--config', 'k4k.yaml'], input);
  expect(enc.code).toBe(0);
  expect(enc.stdout).not.toContain('top');
  const dec = run(['decrypt', '--config', 'k4k.yaml'], enc.stdout);
  expect(dec).toEqual({ code: 0, stdout: input, stderr: '' });
  const lines = enc.stdout.split('\n');
  const tampered = (lines[1] as string).replace(/"secret":"(.)/, (_m, c: string) => `"secret":"${c === 'a' ? 'b' : 'a'}`);
  expect(tampered).not.toBe(lines[1]);
  const broken = [lines[0], tampered].join('\n');
  const bad = run(['decrypt', '--config', 'k4k.yaml'], broken);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^Error: line 2, field 'secret': /);
  expect(bad.stdout).toBe('{"secret":{"nested":[1,"x"]},"n":1}\n');
});
