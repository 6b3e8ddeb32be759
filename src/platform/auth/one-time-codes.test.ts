import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  currentTotp,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  secretForTyping,
  totpAddress,
  totpStep,
} from './one-time-codes.ts';

describe('time-based codes', () => {
  const secret = newTotpSecret();
  const at = new Date('2026-12-07T10:00:15Z');
  const step = Math.floor(at.getTime() / 30_000);

  it('makes a 160-bit secret in base32, shown in groups of four', () => {
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(secretForTyping(secret), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  });

  it('accepts the code of this 30 seconds and of the steps either side, and says which step it was', () => {
    assert.equal(totpStep(secret, currentTotp(secret, at), at), step);
    assert.equal(totpStep(secret, currentTotp(secret, new Date(at.getTime() - 30_000)), at), step - 1);
    assert.equal(totpStep(secret, currentTotp(secret, new Date(at.getTime() + 30_000)), at), step + 1);
  });

  it('refuses a code from a minute ago, a code of another secret and anything not six digits', () => {
    assert.equal(totpStep(secret, currentTotp(secret, new Date(at.getTime() - 60_000)), at), null);
    assert.equal(totpStep(secret, currentTotp(newTotpSecret(), at), at), null);
    assert.equal(totpStep(secret, '12345', at), null);
    assert.equal(totpStep(secret, 'abcdef', at), null);
  });

  it('reads a code typed with spaces', () => {
    const code = currentTotp(secret, at);
    assert.equal(totpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at), step);
  });

  it('names Clasp and the account in the address an app reads', () => {
    const address = totpAddress(secret, 'nia@example.nhs.uk');
    assert.match(address, /^otpauth:\/\/totp\/Clasp:nia%40example\.nhs\.uk\?/);
    assert.match(address, new RegExp(`secret=${secret}`));
    assert.match(address, /issuer=Clasp/);
  });
});

describe('recovery codes', () => {
  it('makes ten different codes of ten characters that cannot be misread', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it('reads a code typed in capitals, with a space or no dash', () => {
    assert.equal(normaliseRecoveryCode(' ABCDE FGHJK '), 'abcde-fghjk');
    assert.equal(normaliseRecoveryCode('abcdefghjk'), 'abcde-fghjk');
    assert.equal(normaliseRecoveryCode('abcde-fghj'), null, 'too short');
    assert.equal(normaliseRecoveryCode('abcde-fghj1'), null, 'a 1 is never in a code');
  });
});
