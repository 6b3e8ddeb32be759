import path from 'node:path';
import { z } from 'zod';

/** Everything Clasp reads from the environment, checked once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** A postgres:// URL, or null for the embedded SQLite database in dataDir. */
  readonly databaseUrl: string | null;
  readonly staleDays: number;
  /** How many reviews' analysed plans each app instance keeps in memory (about 0.3 MB each). */
  readonly planCacheSize: number;
  /** Memory each app instance may use for rendered pages, in MB. */
  readonly pageCacheMegabytes: number;
  readonly logLevel: string;
}

const portSchema = z.coerce.number().int().min(0).max(65535);

const environmentSchema = z.object({
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  CLASP_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  CLASP_STALE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  CLASP_PLAN_CACHE_SIZE: z.coerce.number().int().min(0).max(100000).default(200),
  CLASP_PAGE_CACHE_MB: z.coerce.number().min(0).max(100000).default(32),
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
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(env.CLASP_DATA_DIR),
    databaseUrl: env.DATABASE_URL ?? null,
    staleDays: env.CLASP_STALE_DAYS,
    planCacheSize: env.CLASP_PLAN_CACHE_SIZE,
    pageCacheMegabytes: env.CLASP_PAGE_CACHE_MB,
    logLevel: env.LOG_LEVEL,
    ...overrides,
  });
}

export { portSchema };
