// The logger the key layer reports through (malformed secrets, refresh summaries). Injectable; by
// default warnings and errors go to the console and info is dropped.
export interface KeysLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleKeysLogger: KeysLogger = {
  info: () => undefined,
  warn: (m) => console.warn(`[kryptonite] ${m}`),
  error: (m) => console.error(`[kryptonite] ${m}`),
};
