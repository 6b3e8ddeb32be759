// Deadlines are agreed, not quietly moved (issue 13, section 2). An action's due date, once
// set, is its agreed date. An organisation may propose a revised date with a reason; it takes
// effect only when the plan coordinator agrees it, and until then the action counts against
// the agreed date. A coordinator may also set a new date directly, with a reason. Each agreed
// change is a move; the original due date is the one first agreed.

export type DueDateChangeKind = 'proposed' | 'agreed' | 'refused' | 'set';

/** One row of an action's due date history, oldest first. */
export interface DueDateChange {
  id: number;
  kind: DueDateChangeKind;
  /** The proposal a decision answers. */
  proposalId: number | null;
  /** The agreed due date when the row was written. */
  fromDate: string | null;
  /** The date proposed, agreed or set. */
  toDate: string | null;
  reason: string;
  by: string;
  /** When it was recorded (ISO timestamp). */
  at: string;
}

export interface PendingDueDate {
  proposalId: number;
  proposedDate: string;
  reason: string;
  by: string;
  at: string;
}

export interface DueDatePosition {
  /** The due date the action counts against. */
  agreed: string | null;
  /** The due date first agreed: before any move, or the agreed date when it never moved. */
  original: string | null;
  /** How many times the agreed due date moved. */
  moves: number;
  /** A proposal waiting for the coordinator: the newest proposal with no decision. */
  pending: PendingDueDate | null;
}

/** Whether a change moved the agreed date: an agreement or a direct change from one date to another. */
export function isMove(change: DueDateChange): boolean {
  return (
    (change.kind === 'agreed' || change.kind === 'set') &&
    change.fromDate !== null &&
    change.toDate !== null &&
    change.fromDate !== change.toDate
  );
}

/**
 * Where an action's due date stands, from its agreed date and its history (any order). A newer
 * proposal replaces an older one still waiting; an agreed or direct change settles every
 * proposal made before it.
 */
export function dueDatePosition(agreed: string | null, history: readonly DueDateChange[]): DueDatePosition {
  const changes = [...history].sort((a, b) => a.id - b.id);
  const moves = changes.filter(isMove);
  const original = moves[0]?.fromDate ?? agreed;
  const decided = new Set(changes.flatMap((c) => (c.proposalId === null ? [] : [c.proposalId])));
  let pending: PendingDueDate | null = null;
  for (const change of changes) {
    if (change.kind === 'proposed' && change.toDate !== null && !decided.has(change.id)) {
      pending = {
        proposalId: change.id,
        proposedDate: change.toDate,
        reason: change.reason,
        by: change.by,
        at: change.at,
      };
    } else if (change.kind === 'set' || change.kind === 'agreed') {
      pending = null;
    }
  }
  return { agreed, original, moves: moves.length, pending };
}

/**
 * Why a proposed revised date cannot be made, or null when it can: the action needs an agreed
 * date to move, a different date, and a reason.
 */
export function proposalProblem(agreed: string | null, proposed: string, reason: string): string | null {
  if (agreed === null) return 'This action has no agreed due date yet: change the action to give it one';
  if (proposed === agreed) return 'Enter a date different from the agreed due date';
  if (reason.trim() === '') return 'Enter why the due date should move';
  return null;
}
