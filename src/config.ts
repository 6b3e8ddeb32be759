import path from 'node:path';
import { z } from 'zod';

/** Everything Clasp reads from the environment, checked once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** A postgres:// URL, or null for the embedded SQLite database in dataDir. */
  readonly databaseUrl: string | null;
  /**
   * PostgreSQL only: the tables' owner, used to migrate and then grant the app's role (DATABASE_URL's)
   * only read and insert on the history tables. Null: DATABASE_URL migrates as well.
   */
  readonly databaseOwnerUrl: string | null;
  readonly staleDays: number;
  /** How many reviews' analysed plans each app instance keeps in memory (about 0.3 MB each). */
  readonly planCacheSize: number;
  /** Memory each app instance may use for rendered pages, in MB. */
  readonly pageCacheMegabytes: number;
  readonly logLevel: string;
  /** A session ends after this many minutes without a request. */
  readonly sessionIdleMinutes: number;
  /**
   * Seconds a session, once read, is resolved from memory (0: read on every request). Ended at
   * once on the same instance; other instances sharing the database notice within about a second.
   */
  readonly sessionCacheSeconds: number;
  /** A session ends this many hours after sign-in, however active. */
  readonly sessionMaxHours: number;
  /** Largest evidence or import file accepted, in bytes. */
  readonly uploadLimitBytes: number;
  /** Reading one imported file stops after this long, so no file can hang Clasp. */
  readonly importTimeLimitMs: number;
  /** How long an upload page waits for a file to be read before showing the reading page instead. */
  readonly importWaitMs: number;
  /** The address people use to reach Clasp, for links in email; null means http://HOST:PORT. */
  readonly publicUrl: string | null;
  /** smtp:// or smtps:// URL; null writes each message to dataDir/outbox as an .eml file. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Trust X-Forwarded-* from a reverse proxy (for HTTPS detection and client addresses). */
  readonly trustProxy: boolean;
  /** Where clamd listens (a Unix socket path, or host:port); null scans no uploads. */
  readonly clamd: string | null;
  /** When clamd cannot be reached: refuse the upload (the default), or accept it unscanned. */
  readonly clamdDown: 'refuse' | 'accept';
  /** The server sends due email reminders this often, in minutes; 0 leaves it to `clasp remind`. */
  readonly remindersEveryMinutes: number;
  /**
   * The organisation that runs this Clasp, named as the controller of its personal data on the
   * privacy notice and as the service's owner on the accessibility statement; null says so in general words.
   */
  readonly operatorName: string | null;
  /** Where people write for help, about their data or about accessibility; null points them to their administrator. */
  readonly contactEmail: string | null;
  /** Signing in with an OpenID Connect provider; null when none is configured. */
  readonly oidc: OidcConfig | null;
  /** After SIGTERM or SIGINT, requests in flight may take this long to finish before they are cut off. */
  readonly shutdownMs: number;
  /** A whole request, body included, must arrive within this; the socket may also sit idle no longer. */
  readonly requestTimeoutMs: number;
  /** A request's headers must arrive within this (never more than requestTimeoutMs). */
  readonly headerTimeoutMs: number;
}

/** The OpenID Connect provider people may sign in with (docs/sign-in.md). */
export interface OidcConfig {
  /** The provider's issuer, whose /.well-known/openid-configuration describes it. */
  readonly issuer: string;
  readonly clientId: string;
  /** Null for a public client (none is sent). */
  readonly clientSecret: string | null;
  readonly scopes: string;
  /** The ID token's claims read for the email address, the name and (optionally) the organisation. */
  readonly emailClaim: string;
  readonly nameClaim: string;
  readonly organisationClaim: string | null;
  /**
   * "claim": the email counts as verified only with email_verified true; "provider": every address
   * it gives is verified (as Microsoft Entra ID work accounts).
   */
  readonly emailVerified: 'claim' | 'provider';
  readonly buttonText: string;
  /** Whether signing out of Clasp also signs out of the provider, where the provider supports it. */
  readonly logout: boolean;
}

const portSchema = z.coerce.number().int().min(0).max(65535);

/** A number of seconds from `min` to `max`, with a message that says so whatever is wrong with it. */
function seconds(name: string, min: number, max: number, fallback: number) {
  const message = `${name} must be a number of seconds from ${min} to ${max}, like ${fallback}`;
  return z.coerce.number({ error: message }).min(min, message).max(max, message).default(fallback);
}

const environmentSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CLASP_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_OWNER_URL must start with postgres:// or postgresql://')
    .optional(),
  CLASP_STALE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  CLASP_PLAN_CACHE_SIZE: z.coerce.number().int().min(0).max(100000).default(200),
  CLASP_PAGE_CACHE_MB: z.coerce.number().min(0).max(100000).default(32),
  CLASP_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  CLASP_SESSION_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
  CLASP_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(12),
  CLASP_UPLOAD_LIMIT_MB: z.coerce.number().min(0.01).max(1024).default(25),
  CLASP_IMPORT_TIME_LIMIT_SECONDS: z.coerce.number().min(1).max(600).default(20),
  CLASP_IMPORT_WAIT_SECONDS: z.coerce.number().min(0).max(600).default(3),
  CLASP_PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'CLASP_PUBLIC_URL must be an http:// or https:// address')
    .optional(),
  CLASP_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'CLASP_SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  CLASP_MAIL_FROM: z.string().min(3).default('Clasp <clasp@localhost>'),
  CLASP_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  CLASP_CLAMD: z.string().min(1).optional(),
  CLASP_CLAMD_DOWN: z.enum(['refuse', 'accept']).default('refuse'),
  CLASP_REMINDERS_EVERY_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  CLASP_OPERATOR_NAME: z.string().trim().min(2).max(200).optional(),
  CLASP_CONTACT_EMAIL: z
    .string()
    .trim()
    .regex(
      /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/,
      'CLASP_CONTACT_EMAIL must be an email address, like clasp@example.nhs.uk',
    )
    .optional(),
  CLASP_OIDC_ISSUER: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s]+$/, "CLASP_OIDC_ISSUER must be the provider's https:// address")
    .optional(),
  CLASP_OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  CLASP_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CLASP_OIDC_SCOPES: z
    .string()
    .trim()
    .regex(/(^|\s)openid(\s|$)/, 'CLASP_OIDC_SCOPES must include openid, for example "openid email profile"')
    .default('openid email profile'),
  CLASP_OIDC_EMAIL_CLAIM: z.string().trim().min(1).default('email'),
  CLASP_OIDC_NAME_CLAIM: z.string().trim().min(1).default('name'),
  CLASP_OIDC_ORGANISATION_CLAIM: z.string().trim().min(1).optional(),
  CLASP_OIDC_EMAIL_VERIFIED: z
    .enum(['claim', 'provider'], {
      error: 'CLASP_OIDC_EMAIL_VERIFIED must be "claim" (the default) or "provider"',
    })
    .default('claim'),
  CLASP_OIDC_BUTTON_TEXT: z.string().trim().min(2).max(80).default("Sign in with your organisation's account"),
  CLASP_OIDC_LOGOUT: z.enum(['yes', 'no'], { error: 'CLASP_OIDC_LOGOUT must be yes or no' }).default('yes'),
  CLASP_SHUTDOWN_SECONDS: seconds('CLASP_SHUTDOWN_SECONDS', 1, 600, 20),
  CLASP_REQUEST_TIMEOUT_SECONDS: seconds('CLASP_REQUEST_TIMEOUT_SECONDS', 1, 3600, 300),
  CLASP_HEADER_TIMEOUT_SECONDS: seconds('CLASP_HEADER_TIMEOUT_SECONDS', 1, 300, 20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ConfigError extends Error {}

/** Reads the configuration; throws a ConfigError naming each bad variable so start-up fails fast. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`The environment is not valid:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  if (env.DATABASE_OWNER_URL && !env.DATABASE_URL) {
    throw new ConfigError(
      'The environment is not valid:\n  DATABASE_OWNER_URL: set DATABASE_URL too (the role the app connects as)',
    );
  }
  if (env.CLASP_OIDC_ISSUER && !env.CLASP_OIDC_CLIENT_ID) {
    throw new ConfigError(
      'The environment is not valid:\n  CLASP_OIDC_CLIENT_ID: set it to the client id the provider gave Clasp ' +
        '(CLASP_OIDC_ISSUER is set), or unset CLASP_OIDC_ISSUER to turn single sign-on off',
    );
  }
  if (env.CLASP_OIDC_ISSUER?.startsWith('http://') && !isLoopback(env.CLASP_OIDC_ISSUER)) {
    throw new ConfigError(
      "The environment is not valid:\n  CLASP_OIDC_ISSUER: use the provider's https:// address " +
        '(http:// is only for a provider on this computer, at 127.0.0.1 or localhost)',
    );
  }
  if (env.CLASP_HEADER_TIMEOUT_SECONDS > env.CLASP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(
      'The environment is not valid:\n  CLASP_HEADER_TIMEOUT_SECONDS: make it no more than ' +
        `CLASP_REQUEST_TIMEOUT_SECONDS (${env.CLASP_REQUEST_TIMEOUT_SECONDS}): ` +
        'the headers are part of the request',
    );
  }
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(env.CLASP_DATA_DIR),
    databaseUrl: env.DATABASE_URL ?? null,
    databaseOwnerUrl: env.DATABASE_OWNER_URL ?? null,
    staleDays: env.CLASP_STALE_DAYS,
    planCacheSize: env.CLASP_PLAN_CACHE_SIZE,
    pageCacheMegabytes: env.CLASP_PAGE_CACHE_MB,
    logLevel: env.LOG_LEVEL,
    sessionIdleMinutes: env.CLASP_SESSION_IDLE_MINUTES,
    sessionMaxHours: env.CLASP_SESSION_MAX_HOURS,
    sessionCacheSeconds: env.CLASP_SESSION_CACHE_SECONDS,
    uploadLimitBytes: Math.round(env.CLASP_UPLOAD_LIMIT_MB * 1024 * 1024),
    importTimeLimitMs: Math.round(env.CLASP_IMPORT_TIME_LIMIT_SECONDS * 1000),
    importWaitMs: Math.round(env.CLASP_IMPORT_WAIT_SECONDS * 1000),
    publicUrl: env.CLASP_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    smtpUrl: env.CLASP_SMTP_URL ?? null,
    mailFrom: env.CLASP_MAIL_FROM,
    trustProxy: env.CLASP_TRUST_PROXY === 'true' || env.CLASP_TRUST_PROXY === '1',
    clamd: env.CLASP_CLAMD ?? null,
    clamdDown: env.CLASP_CLAMD_DOWN,
    remindersEveryMinutes: env.CLASP_REMINDERS_EVERY_MINUTES,
    operatorName: env.CLASP_OPERATOR_NAME ?? null,
    contactEmail: env.CLASP_CONTACT_EMAIL ?? null,
    oidc:
      env.CLASP_OIDC_ISSUER && env.CLASP_OIDC_CLIENT_ID
        ? Object.freeze({
            issuer: env.CLASP_OIDC_ISSUER,
            clientId: env.CLASP_OIDC_CLIENT_ID,
            clientSecret: env.CLASP_OIDC_CLIENT_SECRET ?? null,
            scopes: env.CLASP_OIDC_SCOPES.split(/\s+/).join(' '),
            emailClaim: env.CLASP_OIDC_EMAIL_CLAIM,
            nameClaim: env.CLASP_OIDC_NAME_CLAIM,
            organisationClaim: env.CLASP_OIDC_ORGANISATION_CLAIM ?? null,
            emailVerified: env.CLASP_OIDC_EMAIL_VERIFIED,
            buttonText: env.CLASP_OIDC_BUTTON_TEXT,
            logout: env.CLASP_OIDC_LOGOUT === 'yes',
          })
        : null,
    shutdownMs: Math.round(env.CLASP_SHUTDOWN_SECONDS * 1000),
    requestTimeoutMs: Math.round(env.CLASP_REQUEST_TIMEOUT_SECONDS * 1000),
    headerTimeoutMs: Math.round(env.CLASP_HEADER_TIMEOUT_SECONDS * 1000),
    ...overrides,
  });
}

/** Whether an address is on this computer (127.0.0.1, [::1] or localhost): only there may a provider use http://. */
export function isLoopback(address: string): boolean {
  try {
    return ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(address).hostname);
  } catch {
    return false;
  }
}

export { portSchema };
