import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { Db } from './platform/db/database.ts';
import { TOKEN_SCOPES, type Actor, type MemberRole } from './domain/permissions.ts';
import { recordAudit } from './platform/audit.ts';
import { normaliseEmail } from './platform/auth/secrets.ts';
import {
  apiTokenRules,
  createAccount,
  createInvitedAccount,
  issueApiToken,
  lastDayOf,
  listOwnApiTokens,
  newAccountProblem,
  revokeApiToken,
  setPasswordLink,
} from './features/accounts/accounts.service.ts';
import { findUserByEmail, listMemberships } from './features/accounts/accounts.repository.ts';
import { apiTokenForm, TOKEN_SCOPE_WORDS } from './features/accounts/accounts.forms.ts';
import { presentTokens } from './features/accounts/accounts.presenter.ts';
import { FormInvalid, parseForm } from './platform/form-schema.ts';
import { addDays, dateInEngland, formatDate } from './domain/dates.ts';
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
  token create --email E --name "what it is for" [--scope read|write|admin]
               [--expires YYYY-MM-DD | --days N] [--review ID ...]
                     Make an API token for scripts; it is printed once. --scope:
                     read (the default) only looks; write also changes things;
                     admin also administers (administrators only). It works
                     until the end of the --expires day, or for --days days
                     (90 by default, at most a year). Each --review limits it
                     to one of the person's reviews; without any, it reaches
                     all of them.
  token list --email E
                     List a person's API tokens that are not revoked.
  token revoke --email E --id N
                     Revoke one of a person's API tokens: it stops working at once.
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
  if (command === 'token' && sub === 'list') return listTokens(rest, ctx);
  if (command === 'token' && sub === 'revoke') return revokeToken(rest, ctx);
  const expected = { user: 'add', member: 'add', token: 'create' }[command];
  if (sub !== expected) {
    const also =
      command === 'user'
        ? ' or "clasp user two-step …"'
        : command === 'token'
          ? ', "clasp token list …" or "clasp token revoke …"'
          : '';
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

/** The enabled account with this address, as an actor with every membership it has. */
async function accountActor(ctx: CommandContext, emailGiven: string | undefined): Promise<Actor> {
  const email = normaliseEmail(required(emailGiven, '--email'));
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.disabled_at) throw new CommandError(`There is no enabled account for ${email}.`);
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    isAdmin: user.is_admin === 1,
    memberships: await listMemberships(ctx.db, user.id),
  };
}

async function createToken(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string' },
      expires: { type: 'string' },
      days: { type: 'string' },
      review: { type: 'string', multiple: true },
    },
    strict: true,
  });
  const person = await accountActor(ctx, values.email);
  const name = required(values.name, '--name');
  const scope = values.scope?.trim() ?? 'read';
  if (!(TOKEN_SCOPES as readonly string[]).includes(scope)) {
    throw new CommandError(`--scope must be one of ${TOKEN_SCOPES.join(', ')}, not "${scope}".`);
  }
  if (scope === 'admin' && !person.isAdmin) {
    throw new CommandError(
      `${person.email} is not an administrator, so the token cannot administer. Use --scope write or read.`,
    );
  }
  if (scope === 'admin' && (values.review ?? []).length > 0) {
    throw new CommandError(
      'A token with --scope admin reaches every review: leave out --review, or use --scope write.',
    );
  }
  if (values.expires !== undefined && values.days !== undefined) {
    throw new CommandError('Give --expires or --days, not both.');
  }
  const now = ctx.now();
  let expires = values.expires?.trim();
  if (expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    throw new CommandError(`--expires must be a date like 2027-03-31, not "${expires}".`);
  }
  if (values.days !== undefined) {
    const days = values.days.trim();
    if (!/^\d{1,3}$/.test(days) || Number(days) < 1 || Number(days) > 366) {
      throw new CommandError(`--days must be a whole number of days from 1 to 366, not "${values.days}".`);
    }
    expires = addDays(dateInEngland(now), Number(days));
  }
  const rules = await apiTokenRules(ctx.db, person, now);
  for (const review of values.review ?? []) {
    if (!rules.reviews.some((r) => String(r.id) === review.trim())) {
      throw new CommandError(
        `${person.email} is not a member of review ${review}. ` +
          '"clasp reviews" lists the reviews; "clasp member add" gives someone a role in one.',
      );
    }
  }
  let command;
  try {
    command = await parseForm(apiTokenForm(rules), {
      tokenName: name,
      scope,
      ...(expires === undefined ? {} : { expires }),
      reviews: values.review ?? [],
    });
  } catch (error) {
    if (!(error instanceof FormInvalid)) throw error;
    const said = Object.values(error.errors.fields).join('. ');
    const flag = values.days !== undefined ? '--days' : '--expires';
    throw new CommandError(`${said.replace(/^The date the token expires/, `The date ${flag} gives`)}.`);
  }
  const made = await issueApiToken(ctx.db, { userId: person.userId, actor: ACTOR }, command, now);
  const where = command.reviews.length ? `reviews ${command.reviews.join(', ')}` : 'all their reviews';
  ctx.out(
    `API token ${made.id} for ${person.email} (${name}): ${TOKEN_SCOPE_WORDS[command.scope].toLowerCase()}, ` +
      `${where}, until the end of ${formatDate(lastDayOf(made.expiresAt))}.`,
  );
  ctx.out('It is shown only now; send it as "Authorization: Bearer TOKEN":');
  ctx.out(made.token);
  return 0;
}

async function listTokens(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { email: { type: 'string' } }, strict: true });
  const person = await accountActor(ctx, values.email);
  const tokens = await listOwnApiTokens(ctx.db, person.userId, ctx.now());
  if (tokens.length === 0) {
    ctx.out(`${person.email} has no API tokens. Make one with "clasp token create".`);
    return 0;
  }
  ctx.out(['ID', 'For', 'Can', 'Reviews', 'Expires', 'Last used'].join('\t'));
  for (const t of presentTokens(tokens)) {
    const listed = tokens.find((o) => o.id === t.id);
    const reviews = listed?.reviews ? listed.reviews.map((r) => `${r.id} ${r.area}`).join('; ') : t.reviews;
    ctx.out([t.id, t.name, t.scope, reviews, t.expires, t.lastUsed].join('\t'));
  }
  return 0;
}

async function revokeToken(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, id: { type: 'string' } },
    strict: true,
  });
  const person = await accountActor(ctx, values.email);
  const id = required(values.id, '--id');
  if (!/^\d{1,9}$/.test(id)) throw new CommandError(`--id must be a token's number, not "${id}".`);
  const revoked = await revokeApiToken(ctx.db, { ...person, name: ACTOR }, Number(id), ctx.now());
  if (!revoked) {
    throw new CommandError(
      `${person.email} has no API token ${id} that still works. "clasp token list --email ${person.email}" lists them.`,
    );
  }
  ctx.out(`Revoked API token ${id} of ${person.email}. It no longer works.`);
  return 0;
}
