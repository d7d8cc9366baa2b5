/** E-mail over SMTP with nodemailer (expiry warnings, issue 16); configured by `smtp.*`. */
import nodemailer from 'nodemailer';
import type { Mailer } from '../core/webhook-types.js';

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export const smtpMailer = (o: SmtpOptions): Mailer & { close(): void } => {
  const transport = nodemailer.createTransport({
    host: o.host, port: o.port, secure: o.secure, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
    ...(o.user !== undefined ? { auth: { user: o.user, pass: o.password ?? '' } } : {}),
  });
  return {
    async send(m) { await transport.sendMail({ from: o.from, to: m.to, subject: m.subject, text: m.text }); },
    close() { transport.close(); },
  };
};
