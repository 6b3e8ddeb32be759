/** A write refused by a unique constraint, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return (
    e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** PostgreSQL gave up a repeatable-read transaction because another changed the same rows: trying again is right. */
export function isSerializationFailure(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '40001';
}
