// Which files may be attached to an agenda item, decided by what their bytes are, not by what
// their name or the browser claims: an HTML page renamed "slides.pdf" is refused, so nothing a
// meeting's guests can upload is ever something a browser would run. The name's extension must
// agree with the content, so a download opens in the program its name promises.

export interface AllowedType {
  mime: string;
  /** Extensions (lower case, without the dot) a file of this type may carry. */
  extensions: readonly string[];
  label: string;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));

const PDF: AllowedType = { mime: 'application/pdf', extensions: ['pdf'], label: 'PDF' };
const PNG: AllowedType = { mime: 'image/png', extensions: ['png'], label: 'PNG image' };
const JPEG: AllowedType = { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG image' };
const GIF: AllowedType = { mime: 'image/gif', extensions: ['gif'], label: 'GIF image' };
const WEBP: AllowedType = { mime: 'image/webp', extensions: ['webp'], label: 'WebP image' };
/** ZIP containers: Office Open XML and OpenDocument files, told apart by extension. */
const OFFICE: Record<string, AllowedType> = {
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], label: 'Word document' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], label: 'Excel workbook' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], label: 'PowerPoint presentation' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], label: 'OpenDocument text' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'], label: 'OpenDocument spreadsheet' },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', extensions: ['odp'], label: 'OpenDocument presentation' },
};
const TEXT: Record<string, AllowedType> = {
  txt: { mime: 'text/plain; charset=utf-8', extensions: ['txt'], label: 'text file' },
  md: { mime: 'text/markdown; charset=utf-8', extensions: ['md'], label: 'Markdown file' },
  csv: { mime: 'text/csv; charset=utf-8', extensions: ['csv'], label: 'CSV file' },
};

export const ALLOWED_DESCRIPTION = 'PDF, images (PNG, JPEG, GIF, WebP), Office and OpenDocument files, plain text, Markdown and CSV';

/** Markup a browser would render as a page, even inside a text file. */
const MARKUP = /<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b/i;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** What the content is, when it is one of the allowed kinds (else null). */
function sniff(bytes: Uint8Array, extension: string): AllowedType | null {
  if (startsWith(bytes, ascii('%PDF-'))) return PDF;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return GIF;
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return WEBP;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return OFFICE[extension] ?? null;
  if (TEXT[extension] && isUtf8Text(bytes) && !MARKUP.test(new TextDecoder().decode(bytes.subarray(0, 64 * 1024)))) return TEXT[extension]!;
  return null;
}

export type TypeCheck = { ok: true; type: AllowedType } | { ok: false; reason: string };

export function checkAttachmentType(bytes: Uint8Array, name: string): TypeCheck {
  const extension = extensionOf(name);
  const type = sniff(bytes, extension);
  if (!type) return { ok: false, reason: `this kind of file cannot be attached (allowed: ${ALLOWED_DESCRIPTION}); its content is not what its name says, or not one of those` };
  if (!type.extensions.includes(extension)) return { ok: false, reason: `the file is a ${type.label}, but its name ends in ".${extension}": rename it to .${type.extensions[0]}` };
  return { ok: true, type };
}

/**
 * A file name as given, or the reason it cannot be one: no folders (a path, "..", slashes of
 * either kind), no control characters, not empty, at most 200 characters.
 */
export function checkFileName(name: string): string | null {
  if (name.trim() === '') return 'the file needs a name';
  if (name.length > 200) return 'the file name is longer than 200 characters';
  if (/[/\\]/.test(name) || name === '.' || name === '..') return 'the file name must not contain a path (no / or \\)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the file name must not contain control characters';
  return null;
}
