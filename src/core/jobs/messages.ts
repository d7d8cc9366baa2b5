/**
 * The text a job's outcome posts to its channel, in the spirit of Meeseeks's replies (`<user> <verdict>` and the
 * output in a code block), but deterministic: always the command, the job id and, for failures, the reason.
 */
import type { Job } from '../job-types.js';

/** Output longer than this is cut in the message (the job keeps all of it up to the command's cap). */
export const MESSAGE_OUTPUT_MAX = 3000;

const who = (j: Job): string => (j.username === null ? 'someone' : `@${j.username}`);
/**
 * A command and its arguments as one line that says where each argument ends: one that is empty or holds a space, a
 * quote or a backslash is written as a JSON string (`echo-args hello "b c"`), which the chat grammar reads back.
 */
export const commandLine = (command: string, args: readonly string[]): string =>
  [command, ...args].map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');

const what = (j: Job): string => `*${commandLine(j.command, j.args)}*`;

const block = (j: Job): string => {
  if (j.output === '') return '';
  const out = j.output.length > MESSAGE_OUTPUT_MAX ? `${j.output.slice(0, MESSAGE_OUTPUT_MAX)}\n… (more in job ${j.id})` : j.output;
  const cut = j.truncated ? '\n[output cut at the command\'s limit]' : '';
  return `\n\`\`\`\n${out.replace(/\n$/, '')}${cut}\n\`\`\``;
};

export const outcomeText = (j: Job): string => {
  switch (j.status) {
    case 'succeeded': return `${who(j)} ${what(j)} done (job ${j.id})${block(j)}`;
    case 'failed': return `${who(j)} ${what(j)} failed :disappointed: ${j.exitCode === null ? (j.reason ?? 'no exit code') : `exit code ${j.exitCode}`} (job ${j.id})${block(j)}`;
    case 'timed_out': return `${who(j)} ${what(j)} timed out :disappointed: (job ${j.id})${block(j)}`;
    case 'rejected': return `${who(j)} ${what(j)} was refused: ${j.reason ?? 'not allowed'} (job ${j.id})`;
    case 'running': return `${who(j)} ${what(j)} is running (job ${j.id})`;
  }
};
