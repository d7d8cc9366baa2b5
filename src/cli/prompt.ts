/**
 * Reading a password without putting it on the command line (where `ps` and shell history would see it):
 * typed at the terminal with no echo, or the first line of stdin when stdin is a pipe (or with --password-stdin).
 */
import { CliError } from './output.js';

export interface SecretOptions {
  /** Read stdin even when it is a terminal (`--password-stdin`). */
  fromStdin?: boolean;
  /** On a terminal, ask twice and require the same answer (for new passwords). */
  confirm?: boolean;
}

export const readSecret = async (label: string, o: SecretOptions = {}): Promise<string> => {
  let value: string;
  if (o.fromStdin || !process.stdin.isTTY) {
    value = await firstLineOfStdin();
  } else {
    value = await promptHidden(`${label}: `);
    if (o.confirm && (await promptHidden(`${label} (again): `)) !== value) throw new CliError('the two entries differ');
  }
  if (value === '') throw new CliError(`no ${label.toLowerCase()} given`);
  return value;
};

/**
 * The first line of stdin without its line ending: `echo secret | tessera login` works. Reading stops at the first
 * newline rather than EOF, so a pipe that stays open (a CI runner's stdin) cannot hang the command once a line came.
 */
const firstLineOfStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if ((c as Buffer).includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
};

/** Raw mode so keystrokes are not echoed; the prompt goes to stderr to keep stdout for data. */
const promptHidden = (question: string): Promise<string> => new Promise((resolve, reject) => {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  let buf: string[] = [];
  const finish = (err: Error | null): void => {
    input.off('data', onData);
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
    if (err) reject(err); else resolve(buf.join(''));
  };
  const onData = (chunk: string): void => {
    for (const ch of chunk) {
      if (ch === '\r' || ch === '\n') return finish(null);
      if (ch === '\u0003') return finish(new CliError('cancelled', 130)); // Ctrl-C
      if (ch === '\u0004' && buf.length === 0) return finish(new CliError('cancelled', 130)); // Ctrl-D on an empty line
      if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
      else if (ch === '\u0015') buf = []; // Ctrl-U clears the line
      else if (ch >= ' ') buf.push(ch);
    }
  };
  input.on('data', onData);
});
