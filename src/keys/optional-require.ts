// Loads a cloud SDK (an optional peer dependency) only when a provider needs it, so that importing the
// library never pulls in a cloud SDK; a missing one becomes a ConfigError that names the package.
import { ConfigError } from '../errors';

function isMissing(err: unknown, pkg: string): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND')
    && typeof e.message === 'string' && e.message.includes(pkg);
}

/**
 * `require(pkg)` or a ConfigError "install <pkg>" naming the option that asked for it (`neededFor`,
 * e.g. "kms_type AWS_SM_SECRETS"). Other load failures (a broken install) are reported as such.
 */
export function requireOptional<T>(pkg: string, neededFor: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(pkg) as T;
  } catch (err) {
    if (isMissing(err, pkg)) {
      throw new ConfigError('PROVIDER_SDK_MISSING',
        `${neededFor} needs the npm package '${pkg}', which is not installed: run \`npm install ${pkg}\``, { cause: err });
    }
    throw new ConfigError('PROVIDER_SDK_BROKEN', `${neededFor}: loading the npm package '${pkg}' failed`, { cause: err });
  }
}
