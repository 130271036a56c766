/**
 * How to run this same infermark again in a child process or on another node: the Node binary, its flags (the
 * source condition and tsx loader under `npm run dev`) and the entry script.
 * @example defaultSelfCommand() // ["/usr/bin/node", "/repo/packages/cli/bin/infermark.js"]
 */
export function defaultSelfCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1] ?? "infermark"];
}

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Joins arguments into one shell command line. */
export const shellJoin = (args: readonly string[]): string => args.map(shellQuote).join(" ");
