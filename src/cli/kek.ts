// The --kek-type / --kek-uri / --kek-config trio shared by keyset -e, rotate and inspect: checks them in
// the Java tool's order and with its messages, reads the credentials file and builds the cloud KEK.
import { statSync } from 'node:fs';
import { KEK_PROVIDERS, createKeyEncryptionKey, type ClosableKek } from '../keys/provider-registry';
import { CliFailure, stringOpt, type OptionSpec, type ParsedArgs } from './args';
import { absolute, readInput, type CliDeps, type CliIo } from './io';

export const KEK_OPTIONS: readonly OptionSpec[] = [
  { names: ['--kek-type'], key: 'kekType', label: '<kekType>' },
  { names: ['--kek-uri'], key: 'kekUri', label: '<kekUri>' },
  { names: ['--kek-config'], key: 'kekConfig', label: '<kekConfigFile>' },
];

export interface KekArgs {
  type: string;
  uri: string;
  configPath: string;
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/** The three KEK options, all required; `why` ends the messages (Java: "when --encrypt is set"). */
export function requireKekArgs(p: ParsedArgs, io: CliIo, why: string): KekArgs {
  const type = stringOpt(p, 'kekType');
  const uri = stringOpt(p, 'kekUri');
  const configPath = stringOpt(p, 'kekConfig');
  if (blank(type)) throw new CliFailure(`--kek-type is required ${why}`);
  if (blank(uri)) throw new CliFailure(`--kek-uri is required ${why}`);
  if (configPath === undefined) throw new CliFailure(`--kek-config is required ${why}`);
  const abs = absolute(io, configPath);
  let isFile = false;
  try { isFile = statSync(abs).isFile(); } catch { /* missing */ }
  if (!isFile) throw new CliFailure(`--kek-config file does not exist: ${abs}`);
  return { type: type as string, uri: uri as string, configPath };
}

export function anyKekArg(p: ParsedArgs): boolean {
  return KEK_OPTIONS.some((o) => p.values.has(o.key));
}

/** Builds the KEK. The file's content never appears in a message (it holds credentials). */
export async function openKek(args: KekArgs, io: CliIo, deps: CliDeps): Promise<ClosableKek> {
  if (!Object.prototype.hasOwnProperty.call(KEK_PROVIDERS, args.type)) {
    throw new CliFailure(`no KMS key encryption provider found for type '${args.type}' (known: ${Object.keys(KEK_PROVIDERS).join(', ')})`);
  }
  const text = await readInput(io, args.configPath, '--kek-config file');
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new CliFailure(`--kek-config file is not valid JSON: ${absolute(io, args.configPath)}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new CliFailure(`--kek-config file must hold a JSON object: ${absolute(io, args.configPath)}`);
  }
  return createKeyEncryptionKey(args.type, args.uri, config, deps.providers);
}
