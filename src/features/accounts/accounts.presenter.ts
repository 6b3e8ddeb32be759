import { describeDevice } from './device-name.ts';
import type { OwnSession } from './sessions.service.ts';

/* The account page's list of where the person is signed in, in words they read. */

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/**
 * '2026-11-23T14:05:00Z' → '23 November 2026 at 2:05pm', in the time people in England read; the
 * NHS content style writes 12 o'clock as midday and midnight. (The audit trail words times the same way.)
 */
export function formatLastSeen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = londonParts.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = get('hour');
  const minute = get('minute');
  const period = get('dayPeriod').toLowerCase().replace(/[.\s]/gu, '');
  const time =
    hour === '12' && minute === '00' ? (period === 'am' ? 'midnight' : 'midday') : `${hour}:${minute}${period}`;
  return `${get('day')} ${get('month')} ${get('year')} at ${time}`;
}

export function presentSessions(sessions: readonly OwnSession[]) {
  return sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    place: s.ip ?? 'Not known',
    lastSeen: formatLastSeen(s.lastSeenAt),
    isThisDevice: s.isThisDevice,
  }));
}
