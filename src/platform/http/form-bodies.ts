import type { FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';

/** A file sent with a multipart form, read into memory (never more than the upload limit plus one chunk). */
export interface UploadedFile {
  fileName: string;
  declaredType: string;
  bytes: Buffer;
  /** True when the file was larger than the upload limit and was cut short. */
  truncated: boolean;
}

/** Urlencoded and multipart forms parsed into the request body; a file is kept within the upload limit. */
export async function registerFormBodies(app: FastifyInstance, uploadLimitBytes: number): Promise<void> {
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: { fileSize: uploadLimitBytes, files: 1, fields: 50, fieldSize: 1_000_000, parts: 60 },
    // Files are read into memory within the upload limit; a longer one is cut short and marked.
    async onFile(part) {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const file: UploadedFile = {
        fileName: part.filename,
        declaredType: part.mimetype,
        bytes: Buffer.concat(chunks),
        truncated: part.file.truncated,
      };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
}

/** A text field of a parsed form, urlencoded or multipart; '' when absent. */
export function formText(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)[name];
  const one: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof one === 'string') return one;
  if (one && typeof one === 'object' && 'value' in one && typeof one.value === 'string') return one.value;
  return '';
}

/** Every value of a repeated field (checkboxes), urlencoded or multipart. */
export function formList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all
    .map((v: unknown) =>
      typeof v === 'string'
        ? v
        : v && typeof v === 'object' && 'value' in v && typeof v.value === 'string'
          ? v.value
          : null,
    )
    .filter((v): v is string => v !== null);
}

/** The file of a multipart form field, or null when none was chosen. */
export function formFile(body: unknown, name: string): UploadedFile | null {
  if (!body || typeof body !== 'object') return null;
  const value = (body as Record<string, unknown>)[name];
  const one: unknown = Array.isArray(value) ? value[0] : value;
  if (!one || typeof one !== 'object' || !('value' in one)) return null;
  const file = one.value as UploadedFile | undefined;
  if (!file || !Buffer.isBuffer(file.bytes)) return null;
  // A file input left empty still sends a part with no name and no bytes.
  if (file.fileName === '' && file.bytes.length === 0) return null;
  return file;
}
