import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';

/**
 * Sends plain-text email: through an SMTP server when one is configured, otherwise into an
 * outbox folder as .eml files that any mail program opens, so nothing is lost without one.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same words as HTML, for mail programs that show it; the text part is always sent. */
  html?: string;
}

export interface Mailer {
  /** Where the message went: the .eml file's path, or the SMTP message id. */
  send(message: MailMessage): Promise<{ location: string }>;
  /** For logs and the admin page; never holds a password. */
  readonly description: string;
  /** Lets go of any connections kept open for a run of many messages. */
  close(): void;
}

// Bounded so a silent server fails a send in seconds, not after nodemailer's default ten minutes.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export interface MailerOptions {
  smtpUrl: string | null;
  from: string;
  outboxDir: string;
  /** The clock that dates each message (and names its outbox file): the application's, from the caller. */
  now: () => Date;
  /**
   * For many messages in a row (reminders): keep a few SMTP connections open and send over them,
   * rather than open one per message. Call close() when done.
   */
  pooled?: boolean;
}

/** Connections a pooled mailer keeps open: enough to send a run quickly, few enough for any relay. */
export const POOLED_CONNECTIONS = 4;

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl === null
    ? createOutboxMailer(options.from, path.resolve(options.outboxDir), options.now)
    : createSmtpMailer(options.smtpUrl, options.from, options.now, options.pooled ?? false);
}

function createOutboxMailer(from: string, outboxDir: string, clock: () => Date): Mailer {
  // CRLF line ends: the file is then byte for byte the message SMTP would carry (RFC 5322 §2.1),
  // which mail programs open as it is and which tools can relay without rewriting.
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    description: `outbox folder ${outboxDir}`,
    async send(message) {
      const now = clock();
      const info = await transport.sendMail(compose(from, message, now));
      if (!Buffer.isBuffer(info.message))
        throw new Error('Mail: the stream transport did not return the message as a buffer');
      // Messages may hold names and links into the app: only the app's own user may read them.
      await mkdir(outboxDir, { recursive: true, mode: 0o700 });
      const file = path.join(outboxDir, outboxFileName(now));
      await writeFile(file, info.message, { mode: 0o600, flag: 'wx' });
      return { location: file };
    },
    close() {
      // Files hold nothing open.
    },
  };
}

function createSmtpMailer(smtpUrl: string, from: string, clock: () => Date, pooled: boolean): Mailer {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    // The URL's own error would carry the input, password and all.
    throw new Error('Mail: the SMTP URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`Mail: the SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const transport = pooled
    ? nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: POOLED_CONNECTIONS, ...SMTP_TIMEOUTS })
    : nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  return {
    description: `SMTP server ${url.protocol}//${url.host}`,
    async send(message) {
      const info = await transport.sendMail(compose(from, message, clock()));
      return { location: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}

function compose(from: string, message: MailMessage, date: Date): SendMailOptions {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    date,
    // Quoted-printable keeps the text readable in the outbox file and 7-bit safe for any relay (RFC 2045 §6.7).
    textEncoding: 'quoted-printable',
  };
}

/** YYYYMMDDTHHMMSSZ-<8 hex>.eml: names sort by the time they were written. */
function outboxFileName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/u, 'Z')
    .replace(/[-:]/gu, '');
  return `${stamp}-${randomBytes(4).toString('hex')}.eml`;
}
