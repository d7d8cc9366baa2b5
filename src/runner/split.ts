/**
 * Splitting a line of text (a chat message, the `message` form field of Meeseeks's `POST /message`) into arguments.
 *
 * It tokenizes the way a POSIX shell splits words, and does nothing else: no variable, tilde, glob, brace or command
 * expansion, no operators, no redirections. The arguments are later passed to `spawn` as an argv array (never to a
 * shell), so `;`, `|`, `&`, `$(...)`, backticks, `>` and `*` are ordinary characters here.
 *
 * Rules:
 *  - space, tab, newline and carriage return separate arguments; runs of them count once;
 *  - '...'  everything up to the next single quote is literal (a backslash too);
 *  - "..."  literal, except that `\"` and `\\` stand for `"` and `\`; any other backslash is kept as typed
 *           (POSIX also lets `\$` and `` \` `` through, but as nothing expands here, those escapes are pointless);
 *  - \c     outside quotes: the next character, whatever it is (so `a\ b` is one argument `a b`);
 *           a backslash at the very end of the line is kept as a literal backslash;
 *  - quoted and unquoted parts that touch make one argument (`a"b c"d` is `ab cd`), and `''` or `""` is an empty
 *    argument, as in a shell;
 *  - an unclosed quote throws `SplitError('unclosed quote')`; Meeseeks answers 400 `unclosed quote on command`.
 *
 * Difference from Meeseeks (`text/parser` in gomeeseeks/meeseeks-box): it also treats backticks as a third quote
 * character and has no escapes inside quotes, and a closing quote ends the argument there. Tessera keeps backticks
 * literal (a backtick in a shell means command substitution; here it must visibly mean nothing), and follows the shell
 * for the rest, which is what operators will expect when they test a line in a terminal.
 *
 * Why not a library: `shell-quote` (npm) parses `;`, `|`, `&`, `>` into operator objects and expands `$VAR` from an
 * env it is given (to '' by default), so `a;b` or `cost=$5` would not survive as typed; `string-argv` is a single
 * regular expression with no backslash escapes that silently accepts an unclosed quote. Neither matches the rules
 * above, and the state machine below is short enough to read in full.
 */

export class SplitError extends Error {
  readonly code = 'UNCLOSED_QUOTE' as const;
  /** Index in the input of the quote that was never closed. */
  readonly position: number;
  constructor(position: number) {
    super('unclosed quote');
    this.name = 'SplitError';
    this.position = position;
  }
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Splits `line` into arguments (see the rules above). Empty or all-whitespace input gives `[]`. */
export function split(line: string): string[] {
  const args: string[] = [];
  let current = '';
  // `inWord` is separate from `current !== ''` so that `''` produces an empty argument.
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (isSpace(c)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SplitError(i);
      current += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= line.length) throw new SplitError(start);
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          current += line[i + 1];
          i += 2;
        } else {
          current += d;
          i++;
        }
      }
      inWord = true;
      i++; // past the closing quote
    } else if (c === '\\') {
      // Escape the next character; a trailing backslash stands for itself. Strings are UTF-16, so take a whole
      // code point (an emoji is two code units) rather than half of a surrogate pair.
      const next = line.codePointAt(i + 1);
      if (next === undefined) {
        current += '\\';
        i++;
      } else {
        const ch = String.fromCodePoint(next);
        current += ch;
        i += 1 + ch.length;
      }
      inWord = true;
    } else {
      current += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) args.push(current);
  return args;
}
