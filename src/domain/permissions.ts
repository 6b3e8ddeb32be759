/*
 * Who may do what in a review. Roles are held per review and per organisation:
 *   coordinator  everything in the review, including its membership
 *   editor       edit, post progress, add evidence and propose ratings on actions whose
 *                agencies include their organisation; read the whole plan
 *   reviewer     (peer challenge group) accept or reject evidence, agree or challenge ratings
 *   viewer       read only
 * A system administrator manages organisations and users, creates reviews and sees every
 * review, but acts on a plan's content only through a membership of it.
 * Services call these before they read or write; the pages use them only to hide buttons.
 */

export type MemberRole = 'coordinator' | 'editor' | 'reviewer' | 'viewer';

export interface Membership {
  reviewId: number;
  organisationId: number;
  role: MemberRole;
}

export interface Actor {
  userId: number;
  name: string;
  email: string;
  isAdmin: boolean;
  memberships: readonly Membership[];
  /** The request the actor is acting through, for the audit trail. */
  requestId?: string | null;
  /** The API token the person is acting through, if any (memberships are then only the token's reviews). */
  token?: ActorToken;
}

/*
 * What an API token may do. Each scope includes the ones before it:
 *   read   GET and HEAD only
 *   write  also POST, PUT, PATCH and DELETE, except administration
 *   admin  also the administration routes (/api/admin/…), for administrators only
 * A token may also be limited to some of its person's reviews: the others are simply not there.
 */
export type TokenScope = 'read' | 'write' | 'admin';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];

export interface ActorToken {
  id: number;
  /** The broadest scope the token has. */
  scope: TokenScope;
  /** When it stops working (ISO instant), or null for none. */
  expiresAt: string | null;
  /** The reviews it is limited to, or null for every review of its person. */
  reviewIds: readonly number[] | null;
}

/** The scopes stored for a token of this level: 'read write' for write. */
export function scopesUpTo(scope: TokenScope): TokenScope[] {
  return TOKEN_SCOPES.slice(0, TOKEN_SCOPES.indexOf(scope) + 1);
}

/** The broadest scope in a stored, space-separated list; read when it names none. */
export function broadestScope(stored: string): TokenScope {
  const named = stored.split(/\s+/);
  return [...TOKEN_SCOPES].reverse().find((s) => named.includes(s)) ?? 'read';
}

/** Whether a token of this scope covers another scope. */
export function scopeCovers(scope: TokenScope, wanted: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(scope) >= TOKEN_SCOPES.indexOf(wanted);
}

/** The scope a request needs from a token: admin for administration, write for any change, else read. */
export function scopeNeeded(method: string, path: string): TokenScope {
  if (/^\/(api\/)?admin(\/|$|\?)/.test(path)) return 'admin';
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
}

export function rolesIn(actor: Actor, reviewId: number): Set<MemberRole> {
  return new Set(actor.memberships.filter((m) => m.reviewId === reviewId).map((m) => m.role));
}

/** Members of a review, and administrators, can read it; to anyone else it does not exist. */
export function canRead(actor: Actor, reviewId: number): boolean {
  return actor.isAdmin || actor.memberships.some((m) => m.reviewId === reviewId);
}

export function canCoordinate(actor: Actor, reviewId: number): boolean {
  return rolesIn(actor, reviewId).has('coordinator');
}

/** Accept or reject evidence, agree or challenge ratings. */
export function canAssure(actor: Actor, reviewId: number): boolean {
  const roles = rolesIn(actor, reviewId);
  return roles.has('reviewer') || roles.has('coordinator');
}

/** The organisations whose actions this person may edit in the review. */
export function editableOrganisations(actor: Actor, reviewId: number): number[] {
  return actor.memberships.filter((m) => m.reviewId === reviewId && m.role === 'editor').map((m) => m.organisationId);
}

/** Edit an action, post progress, add evidence, propose a rating. */
export function canEditAction(actor: Actor, reviewId: number, actionOrganisationIds: readonly number[]): boolean {
  if (canCoordinate(actor, reviewId)) return true;
  const mine = editableOrganisations(actor, reviewId);
  return actionOrganisationIds.some((id) => mine.includes(id));
}

/** Editors may add actions to the plan for their own organisations. */
export function canAddActions(actor: Actor, reviewId: number): boolean {
  return canCoordinate(actor, reviewId) || editableOrganisations(actor, reviewId).length > 0;
}

/** The whole review's audit trail, with filters. */
export function canReadReviewAudit(actor: Actor, reviewId: number): boolean {
  return actor.isAdmin || canCoordinate(actor, reviewId);
}

export function canCreateReview(actor: Actor): boolean {
  return actor.isAdmin || actor.memberships.some((m) => m.role === 'coordinator');
}

/**
 * A short key for what this person may see and do in the review: pages kept in memory are
 * shared by everyone with the same key, since they render identically for them.
 */
export function viewerKey(actor: Actor, reviewId: number): string {
  const parts = actor.memberships
    .filter((m) => m.reviewId === reviewId)
    .map((m) => `${m.role[0]}${m.organisationId}`)
    .sort();
  return `${actor.isAdmin ? 'A' : ''}${[...new Set(parts)].join('.')}`;
}

/** What a page may offer this person in the review: used only to show or hide links and buttons. */
export interface PermissionFlags {
  read: boolean;
  coordinate: boolean;
  assure: boolean;
  addActions: boolean;
  readAudit: boolean;
  isAdmin: boolean;
  editableOrganisationIds: number[];
}

export function permissionFlags(actor: Actor, reviewId: number): PermissionFlags {
  return {
    read: canRead(actor, reviewId),
    coordinate: canCoordinate(actor, reviewId),
    assure: canAssure(actor, reviewId),
    addActions: canAddActions(actor, reviewId),
    readAudit: canReadReviewAudit(actor, reviewId),
    isAdmin: actor.isAdmin,
    editableOrganisationIds: editableOrganisations(actor, reviewId),
  };
}
