import { formatInstant } from '../../domain/dates.ts';
import { describeDevice } from './device-name.ts';
import type { OwnSession } from './sessions.service.ts';

/* The account page's list of where the person is signed in, in words they read. */

export function presentSessions(sessions: readonly OwnSession[]) {
  return sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    place: s.ip ?? 'Not known',
    lastSeen: formatInstant(s.lastSeenAt),
    isThisDevice: s.isThisDevice,
  }));
}
