import type { Actor } from '../../domain/permissions.ts';

/**
 * Who is importing: a signed-in person, whose rights are checked, or the command line,
 * which acts with the rights of whoever can open the database (as the account commands do).
 */
export type Importer = {
  actor: Actor | null;
  name: string;
  audit: { actor: string; userId: number | null; requestId: string | null };
};

export function personImporting(actor: Actor): Importer {
  return {
    actor,
    name: actor.name,
    audit: { actor: actor.name, userId: actor.userId, requestId: actor.requestId ?? null },
  };
}

export const COMMAND_LINE: Importer = {
  actor: null,
  name: 'command line',
  audit: { actor: 'command line', userId: null, requestId: null },
};
