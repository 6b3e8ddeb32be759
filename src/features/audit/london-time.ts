/* Instants in the time people in England read them, whatever the server's own time zone. */

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
