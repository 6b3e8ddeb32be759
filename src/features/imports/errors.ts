/**
 * A file that cannot be imported, with a message for the person who chose it: what was
 * wrong and what to do. Nothing has been written when this is thrown. The readers throw it;
 * a form that sent the file shows the message beside its file field (the services turn it
 * into a FormInvalid), and the command line prints it.
 */
export class ImportRejected extends Error {
  override readonly name = 'ImportRejected';
}
