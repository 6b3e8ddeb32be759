import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { Db } from './platform/db/database.ts';
import type { MemberRole } from './domain/permissions.ts';
import { recordAudit } from './platform/audit.ts';
import { normaliseEmail } from './platform/auth/secrets.ts';
import {
  createAccount,
  createApiToken,
  createInvitedAccount,
  newAccountProblem,
  setPasswordLink,
} from './features/accounts/accounts.service.ts';
import { findUserByEmail } from './features/accounts/accounts.repository.ts';
import { administerTwoStep } from './features/accounts/second-factor.service.ts';
import { findMembership, insertMembership, listOrganisationChoices } from './features/members/members.repository.ts';
import { findReviewById } from './features/reviews/reviews.repository.ts';

export const ACCOUNT_HELP = `  user add --email E --name N [--admin] [--password-stdin]
                     Make an account. With --password-stdin the password is
                     read from standard input; without it a single-use link to
                     set the password is printed (it works for 7 days).
  user two-step --email E (--require | --stop-requiring | --reset)
                     Require two-step verification of an account, stop requiring
                     it, or reset it for someone who has lost their phone and
                     recovery codes (they are signed out everywhere).
  member add --email E --review ID --organisation ORG --role ROLE
                     Give a person a role in a review for an organisation
                     (ORG: its name, short name or id; one taking part in the review). ROLE: coordinator,
                     editor, reviewer or viewer.
  token create --email E --name "what it is for"
                     Make an API token for scripts; it is printed once.
`;

/** A mistake in what was typed: printed as one line, exit code 2. */
export class CommandError extends Error {}

const ROLES: MemberRole[] = ['coordinator', 'editor', 'reviewer', 'viewer'];
// The command line acts with the rights of whoever can open the database; the audit trail says so.
const ACTOR = 'command line';

interface CommandContext {
  db: Db;
  config: Config;
  /** The clock the changes are dated by. */
  now: () => Date;
  out: (line: string) => void;
  stdin: NodeJS.ReadableStream;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function required(value: string | undefined, flag: string): string {
  if (!value || !value.trim()) throw new CommandError(`Give ${flag}.`);
  return value.trim();
}

export async function accountCommand(
  command: 'user' | 'member' | 'token',
  argv: string[],
  ctx: CommandContext,
): Promise<number> {
  const [sub, ...rest] = argv;
  if (command === 'user' && sub === 'two-step') return twoStep(rest, ctx);
  const expected = { user: 'add', member: 'add', token: 'create' }[command];
  if (sub !== expected) {
    const also = command === 'user' ? ' or "clasp user two-step …"' : '';
    throw new CommandError(`Use "clasp ${command} ${expected} …"${also}. Run "clasp --help" to see the options.`);
  }
  if (command === 'user') return addUser(rest, ctx);
  if (command === 'member') return addMember(rest, ctx);
  return createToken(rest, ctx);
}

async function addUser(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const email = normaliseEmail(required(values.email, '--email'));
  const name = required(values.name, '--name');
  const password = values['password-stdin'] ? (await readAll(ctx.stdin)).replace(/\r?\n$/, '') : undefined;
  const problem = await newAccountProblem(ctx.db, { email, name, password });
  if (problem) throw new CommandError(`${problem}.`);
  const now = ctx.now();
  const link = await ctx.db.transaction().execute(async (trx) => {
    if (password !== undefined) {
      await createAccount(trx, { email, name, isAdmin: values.admin, password }, { actor: ACTOR }, now);
      return null;
    }
    const { token } = await createInvitedAccount(trx, { email, name, isAdmin: values.admin }, { actor: ACTOR }, now);
    return setPasswordLink(ctx.config, token);
  });
  ctx.out(`Made the account ${email}${values.admin ? ' (system administrator)' : ''}.`);
  if (link) ctx.out(`Send this single-use link to ${name} to set a password (it works for 7 days):\n${link}`);
  return 0;
}

async function twoStep(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      require: { type: 'boolean', default: false },
      'stop-requiring': { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const email = normaliseEmail(required(values.email, '--email'));
  const chosen = (['require', 'stop-requiring', 'reset'] as const).filter((c) => values[c]);
  const change = chosen[0];
  if (chosen.length !== 1 || !change) throw new CommandError('Give one of --require, --stop-requiring or --reset.');
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new CommandError(`There is no account for ${email}.`);
  const changed = await administerTwoStep(
    ctx.db,
    user,
    change,
    { actor: ACTOR, userId: null, requestId: null },
    ctx.now(),
  );
  const said = {
    require: `${email} must now use two-step verification; if it is not on, they set it up at their next sign-in.`,
    'stop-requiring': `${email} may now choose whether to use two-step verification.`,
    reset: `${email}'s two-step verification is reset and they are signed out everywhere.`,
  }[change];
  ctx.out(changed ? said : `Nothing to change for ${email}.`);
  return 0;
}

async function addMember(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      review: { type: 'string' },
      organisation: { type: 'string' },
      role: { type: 'string' },
    },
    strict: true,
  });
  const email = normaliseEmail(required(values.email, '--email'));
  const role = required(values.role, '--role') as MemberRole;
  if (!ROLES.includes(role)) throw new CommandError(`--role must be one of ${ROLES.join(', ')}, not "${values.role}".`);
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new CommandError(`There is no account for ${email}. Make one first with "clasp user add".`);
  const reviewText = required(values.review, '--review');
  const review = /^\d+$/.test(reviewText) ? await findReviewById(ctx.db, Number(reviewText)) : undefined;
  if (!review) throw new CommandError(`There is no review ${reviewText}. "clasp reviews" lists them.`);
  const wanted = required(values.organisation, '--organisation');
  // The same choice as on the review's people page: organisations taking part in the review.
  const organisations = await listOrganisationChoices(ctx.db, review.id, review.lead_organisation_id);
  const organisation = organisations.find(
    (o) =>
      String(o.id) === wanted ||
      o.name.toLowerCase() === wanted.toLowerCase() ||
      o.short_name.toLowerCase() === wanted.toLowerCase(),
  );
  if (!organisation) {
    throw new CommandError(
      `Review ${review.id} has no organisation "${wanted}". ` +
        `Use one of: ${organisations.map((o) => `${o.id} ${o.name}`).join('; ')}.`,
    );
  }
  const membership = { userId: user.id, reviewId: review.id, organisationId: organisation.id, role };
  if (await findMembership(ctx.db, membership)) {
    ctx.out(`${email} is already ${role} for ${organisation.name} in review ${review.id}; nothing changed.`);
    return 0;
  }
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const id = await insertMembership(trx, membership, now.toISOString());
    await recordAudit(
      trx,
      {
        actor: ACTOR,
        reviewId: review.id,
        organisationId: organisation.id,
        entityType: 'membership',
        entityId: id,
        action: 'created',
        after: { email, role, organisation: organisation.name },
      },
      now,
    );
  });
  ctx.out(`${email} is now ${role} for ${organisation.name} in review ${review.id} (${review.area}).`);
  return 0;
}

async function createToken(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const email = normaliseEmail(required(values.email, '--email'));
  const name = required(values.name, '--name');
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.disabled_at) throw new CommandError(`There is no enabled account for ${email}.`);
  const token = await createApiToken(ctx.db, { userId: user.id, actor: ACTOR }, name, ctx.now());
  ctx.out(`API token for ${email} (${name}). It is shown only now; send it as "Authorization: Bearer TOKEN":`);
  ctx.out(token);
  return 0;
}
