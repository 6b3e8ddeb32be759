/* Instants in the time people in England read them, whatever the server's own time zone. */

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
 * '2026-11-23T14:05:00Z' → '23 November 2026 at 2:05pm', in Europe/London time. The NHS
 * content style writes 12 o'clock as midday and midnight rather than 12pm and 12am.
 */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = londonParts.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = get('hour');
  const minute = get('minute');
  const period = get('dayPeriod').toLowerCase().replace(/\./g, '').replace(/\s/g, '');
  const time =
    hour === '12' && minute === '00' ? (period === 'am' ? 'midnight' : 'midday') : `${hour}:${minute}${period}`;
  return `${get('day')} ${get('month')} ${get('year')} at ${time}`;
}

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The UTC instant (ISO text) at which a calendar day begins in England. */
export function startOfLondonDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // London is UTC or one hour ahead; read its clock at UTC midnight to find which.
  const parts = londonClock.formatToParts(new Date(utcMidnight));
  const offsetHours = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  return new Date(utcMidnight - offsetHours * 3_600_000).toISOString();
}
