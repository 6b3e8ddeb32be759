import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canAddActions,
  canAssure,
  canCoordinate,
  canCreateReview,
  canEditAction,
  canRead,
  canReadReviewAudit,
  viewerKey,
  type Actor,
  type Membership,
} from './permissions.ts';

const REVIEW = 1;
const OTHER_REVIEW = 2;
const TRUST = 10;
const COUNCIL = 20;

function actor(memberships: Membership[], isAdmin = false): Actor {
  return { userId: 1, name: 'A Person', email: 'a@example.nhs.uk', isAdmin, memberships };
}
const member = (role: Membership['role'], organisationId = TRUST, reviewId = REVIEW): Membership => ({
  reviewId,
  organisationId,
  role,
});

const people: Record<string, Actor> = {
  'non-member': actor([member('coordinator', TRUST, OTHER_REVIEW)]),
  viewer: actor([member('viewer')]),
  reviewer: actor([member('reviewer')]),
  'trust editor': actor([member('editor', TRUST)]),
  'council editor': actor([member('editor', COUNCIL)]),
  coordinator: actor([member('coordinator', COUNCIL)]),
  administrator: actor([], true),
};

// What each person may do in REVIEW, on an action whose organisations are the trust alone.
const expected: Record<
  string,
  [
    read: boolean,
    editTrustAction: boolean,
    addActions: boolean,
    assure: boolean,
    coordinate: boolean,
    reviewAudit: boolean,
  ]
> = {
  'non-member': [false, false, false, false, false, false],
  viewer: [true, false, false, false, false, false],
  reviewer: [true, false, false, true, false, false],
  'trust editor': [true, true, true, false, false, false],
  'council editor': [true, false, true, false, false, false],
  coordinator: [true, true, true, true, true, true],
  administrator: [true, false, false, false, false, true],
};

for (const [who, want] of Object.entries(expected)) {
  test(`permissions of a ${who}`, () => {
    const a = people[who] as Actor;
    assert.deepEqual(
      [
        canRead(a, REVIEW),
        canEditAction(a, REVIEW, [TRUST]),
        canAddActions(a, REVIEW),
        canAssure(a, REVIEW),
        canCoordinate(a, REVIEW),
        canReadReviewAudit(a, REVIEW),
      ],
      want,
    );
  });
}

test('an editor may edit an action shared with another organisation', () => {
  assert.equal(canEditAction(people['council editor'] as Actor, REVIEW, [TRUST, COUNCIL]), true);
});

test('roles in one review give nothing in another', () => {
  const a = actor([member('coordinator', TRUST, OTHER_REVIEW)]);
  assert.equal(canEditAction(a, REVIEW, [TRUST]), false);
  assert.equal(canCoordinate(a, OTHER_REVIEW), true);
});

test('administrators and coordinators may create reviews; others may not', () => {
  assert.equal(canCreateReview(people.administrator as Actor), true);
  assert.equal(canCreateReview(people.coordinator as Actor), true);
  assert.equal(canCreateReview(people['trust editor'] as Actor), false);
});

test('the viewer key is the same for people with the same roles and differs otherwise', () => {
  assert.equal(viewerKey(actor([member('viewer')]), REVIEW), viewerKey(actor([member('viewer')]), REVIEW));
  assert.notEqual(viewerKey(actor([member('viewer')]), REVIEW), viewerKey(actor([member('editor')]), REVIEW));
  assert.notEqual(viewerKey(actor([], true), REVIEW), viewerKey(actor([]), REVIEW));
  assert.equal(viewerKey(actor([member('viewer', TRUST, OTHER_REVIEW)]), REVIEW), viewerKey(actor([]), REVIEW));
});
