import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, portSchema, type Config } from './config.ts';
import { DatabaseOpenError, type DatabaseHandle } from './platform/db/database.ts';
import { MigrationError } from './platform/db/migrate.ts';
import { openConfiguredDatabase } from './platform/db/open.ts';
import { DEMO_PASSWORD, loadDemo } from './features/demo/demo.service.ts';
import { accountCommand, ACCOUNT_HELP, CommandError } from './cli-accounts.ts';
import { listReviewSummaries } from './features/reviews/reviews.repository.ts';
import { startServer } from './server.ts';
import { systemClock } from './app.ts';
import { importCommand, IMPORT_HELP } from './cli-import.ts';
import { exportCommand, OUTPUT_HELP, reportCommand, versionCommand } from './cli-outputs.ts';
import { routesCommand, ROUTES_HELP } from './cli-routes.ts';
import { AUDIT_HELP, auditCommand, dbCommand } from './cli-audit.ts';
import { remindCommand, REMIND_HELP } from './cli-remind.ts';
import { BACKUP_ERRORS, BACKUP_HELP, backupCommand, moveToCommand, restoreCommand } from './cli-backup.ts';
import { ImportRejected } from './features/imports/errors.ts';
import { NotFoundError } from './platform/http/errors.ts';

const HELP = `Clasp runs the action plan that follows a CQC review of services for
children looked after and safeguarding.

Usage: clasp <command> [options]

Commands:
  serve [--port N] [--host H] [--demo]
                     Start the web server (PORT and HOST also work). Applies
                     migrations first. With --demo, loads the demo review when
                     the database has no reviews.
  migrate            Bring the database up to date.
  demo               Load the demo review (Rotherham 2015) with one account per
                     role, all with the password ${DEMO_PASSWORD}. Running it
                     again changes nothing.
  reviews [--json]   List the reviews with their ids, area and counts.
${ACCOUNT_HELP}${IMPORT_HELP}${OUTPUT_HELP}${ROUTES_HELP}${AUDIT_HELP}${REMIND_HELP}${BACKUP_HELP}\
  help, --help       Show this help.

The database is SQLite at $CLASP_DATA_DIR/clasp.db (default ./data) unless
DATABASE_URL=postgres://... is set.
`;

export class UsageError extends Error {}

/** Opens the configured database (bringing it up to date), does the work, and closes it whatever happens. */
async function withDatabase<T>(config: Config, work: (handle: DatabaseHandle) => T | Promise<T>): Promise<T> {
  const handle = await openConfiguredDatabase(config);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

export async function runCli(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(HELP.trimEnd());
    return 0;
  }
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: { port: { type: 'string' }, host: { type: 'string' }, demo: { type: 'boolean', default: false } },
        strict: true,
      });
      const overrides: { -readonly [K in keyof Config]?: Config[K] } = {};
      if (values.port !== undefined) {
        const port = portSchema.safeParse(values.port);
        if (!port.success) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
        overrides.port = port.data;
      }
      if (values.host !== undefined) overrides.host = values.host;
      const config = loadConfig(process.env, overrides);
      await startServer(config, { loadDemoWhenEmpty: values.demo });
      return -1;
    }
    case 'migrate': {
      parseArgs({ args: rest, options: {}, strict: true });
      const config = loadConfig();
      await withDatabase(config, (handle) => {
        out(`The database ${handle.location} is up to date.`);
      });
      return 0;
    }
    case 'demo': {
      parseArgs({ args: rest, options: {}, strict: true });
      const config = loadConfig();
      await withDatabase(config, async (handle) => {
        const result = await loadDemo(handle.db, systemClock());
        out(
          result.created
            ? `Loaded the demo review (id ${result.reviewId}) into ${handle.location}.`
            : `The demo review is already loaded (id ${result.reviewId}); nothing changed.`,
        );
        out(`Demo accounts, each with the password ${DEMO_PASSWORD}:`);
        for (const u of result.users) out(`  ${u.email}\t${u.role}${u.organisation ? ` for ${u.organisation}` : ''}`);
      });
      return 0;
    }
    case 'reviews': {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean', default: false } },
        strict: true,
      });
      const config = loadConfig();
      await withDatabase(config, async (handle) => {
        const reviews = await listReviewSummaries(handle.db);
        if (values.json) {
          out(
            JSON.stringify(
              reviews.map((r) => ({
                id: r.id,
                title: r.title,
                area: r.area,
                reportPublished: r.report_published,
                demo: r.is_demo === 1,
                findings: r.findings,
                recommendations: r.recommendations,
                actions: r.actions,
              })),
              null,
              2,
            ),
          );
          return;
        }
        if (reviews.length === 0) {
          out('There are no reviews. Run "clasp demo" to load the demo review.');
          return;
        }
        out(['ID', 'Area', 'Published', 'Findings', 'Recommendations', 'Actions'].join('\t'));
        for (const r of reviews) {
          out([r.id, r.area, r.report_published ?? '', r.findings, r.recommendations, r.actions].join('\t'));
        }
      });
      return 0;
    }
    case 'user':
    case 'member':
    case 'token': {
      const config = loadConfig();
      return withDatabase(config, (handle) =>
        accountCommand(command, rest, { db: handle.db, config, now: systemClock, out, stdin: process.stdin }),
      );
    }
    case 'import': {
      const config = loadConfig();
      return importCommand(rest, config, () => openConfiguredDatabase(config), out);
    }
    case 'export':
    case 'report':
    case 'version': {
      const config = loadConfig();
      const run = command === 'export' ? exportCommand : command === 'report' ? reportCommand : versionCommand;
      return run(rest, config, () => openConfiguredDatabase(config), out);
    }
    case 'routes':
      return routesCommand(rest, out);
    case 'audit':
    case 'db': {
      const config = loadConfig();
      if (command === 'db') return dbCommand(rest, config, out);
      return auditCommand(rest, () => openConfiguredDatabase(config), out);
    }
    case 'remind': {
      const config = loadConfig();
      return remindCommand(rest, config, () => openConfiguredDatabase(config), out);
    }
    case 'backup':
      return backupCommand(rest, loadConfig(), out);
    case 'restore':
      return restoreCommand(rest, loadConfig(), out);
    case 'move-to':
      return moveToCommand(rest, loadConfig(), out);
    default:
      throw new UsageError(`Unknown command "${command}". Run "clasp --help" to see the commands.`);
  }
}

const KNOWN_ERRORS = [
  ConfigError,
  DatabaseOpenError,
  MigrationError,
  UsageError,
  CommandError,
  ImportRejected,
  NotFoundError,
  ...BACKUP_ERRORS,
];

export async function main(): Promise<void> {
  // `clasp routes | head`: a reader that stops early closes the pipe; that ends the command quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  try {
    const code = await runCli(process.argv.slice(2));
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    const known =
      KNOWN_ERRORS.some((E) => error instanceof E) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // One line, so scripts can show it as it is.
    process.stderr.write(`clasp: ${(error as Error).message.replace(/\s*\n\s*/g, ' ')}\n`);
    if (!known) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = known ? 2 : 1;
  }
}
