import type { Db } from '../../platform/db/database.ts';
import { releaseAttempt, reserveAttempt } from './throttles.repository.ts';

/*
 * Throttling that holds under parallel requests (OWASP ASVS 2.2.1): an attempt is reserved
 * before the password is checked, never counted after, so no more than the limit are checked in
 * a window however many requests arrive at once. The windows are fixed: they start at the first
 * attempt and last their length, so "wait N minutes" is always enough.
 */

export interface ThrottleRule {
  key: string;
  limit: number;
  windowMinutes: number;
}

/**
 * Reserves one attempt under every rule, in order. True when each is within its limit; when one
 * is over, false, and the attempts reserved under the others are given back, so a refused
 * request does not use up anyone's allowance elsewhere.
 */
export async function reserveAttempts(db: Db, rules: readonly ThrottleRule[], now: Date): Promise<boolean> {
  const reserved: string[] = [];
  for (const rule of rules) {
    const windowStartsAfter = new Date(now.getTime() - rule.windowMinutes * 60_000).toISOString();
    const attempts = await reserveAttempt(db, rule.key, now.toISOString(), windowStartsAfter);
    if (attempts > rule.limit) {
      for (const key of reserved) await releaseAttempt(db, key);
      return false;
    }
    reserved.push(rule.key);
  }
  return true;
}
