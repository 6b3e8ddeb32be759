import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import { CommandError } from './cli-accounts.ts';
import { openDatabase, type DatabaseHandle } from './platform/db/database.ts';
import { connectionRole, grantStatements } from './platform/db/roles.ts';
import { verifyAuditTrail } from './features/audit/audit-verify.service.ts';

export const AUDIT_HELP = `  audit verify       Check that no audit event or issued version has been changed
                     or removed since it was written; names the first broken
                     link and exits with status 1 if one was.
  db grants [--role NAME]
                     PostgreSQL: print the SQL that gives the app's role (NAME,
                     or DATABASE_URL's) its rights: read and insert only on the
                     history tables. "clasp migrate" applies it when
                     DATABASE_OWNER_URL is set (see docs/security.md).
`;

type Out = (line: string) => void;

/** `clasp audit verify`: exit status 0 when the trail is intact, 1 when a link is broken. */
export async function auditCommand(args: string[], open: () => Promise<DatabaseHandle>, out: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new CommandError('Use "clasp audit verify".');
  parseArgs({ args: rest, options: {}, strict: true });
  const handle = await open();
  try {
    const result = await verifyAuditTrail(handle.db);
    if (result.intact) {
      out(`The audit trail is intact: ${result.events} events, ${result.versions} versions.`);
      return 0;
    }
    out(`The audit trail is broken: ${result.problem}`);
    out(`Checked before the break: ${result.events} events, ${result.versions} versions.`);
    return 1;
  } finally {
    await handle.close();
  }
}

/** `clasp db grants`: the SQL an owner runs to give the app's role its rights, printed for a DBA. */
export async function dbCommand(args: string[], config: Config, out: Out): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'grants') throw new CommandError('Use "clasp db grants [--role NAME]".');
  const { values } = parseArgs({ args: rest, options: { role: { type: 'string' } }, strict: true });
  const ownerUrl = config.databaseOwnerUrl ?? config.databaseUrl;
  if (!ownerUrl) throw new CommandError('Roles apply to PostgreSQL only: set DATABASE_URL (and DATABASE_OWNER_URL).');
  const owner = await openDatabase({ url: ownerUrl, poolSize: 1 });
  try {
    let role = values.role;
    if (role === undefined) {
      if (!config.databaseUrl) throw new CommandError('Give --role NAME, or set DATABASE_URL.');
      const app = await openDatabase({ url: config.databaseUrl, poolSize: 1 });
      try {
        role = (await connectionRole(app.db)).role;
      } finally {
        await app.close();
      }
    }
    for (const statement of await grantStatements(owner, role)) out(`${statement};`);
    return 0;
  } finally {
    await owner.close();
  }
}
