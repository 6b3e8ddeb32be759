/**
 * A file that cannot be imported, with a message for the person who chose it: what was
 * wrong and what to do. Nothing has been written when this is thrown.
 */
export class ImportRejected extends Error {
  override readonly name = 'ImportRejected';
}
