/**
 * Whether uploaded bytes are what their declared type says, by their signature ("magic bytes"),
 * for the few types Knudepunkt accepts as evidence. A tiny checker instead of a library: the list is
 * short, and each check is one line one can read.
 */

const startsWith = (bytes: Buffer, signature: number[] | string) =>
  bytes.subarray(0, signature.length).equals(typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature));

/** ZIP local file header; Office Open XML files are ZIP packages. */
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * An Office Open XML package of one kind: a ZIP naming its content types and its main part. Entry
 * names are stored uncompressed in a ZIP, so finding them in the bytes is enough to tell a Word
 * document from a spreadsheet, or from any other ZIP.
 */
const ooxml = (mainPart: string) => (bytes: Buffer) => startsWith(bytes, ZIP) && bytes.includes('[Content_Types].xml', 0, 'latin1') && bytes.includes(mainPart, 0, 'latin1');

/** Bytes that never occur in text: C0 control characters except tab, line feed, form feed, carriage return and escape; and DEL. */
const notText = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) if (![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(b)) notText[b] = 1;
notText[0x7f] = 1;

/** Plain text, UTF-8 or an 8-bit code page: none of the control bytes a binary file is full of. */
const plainText = (bytes: Buffer) => !bytes.some((b) => notText[b] === 1);

const signatures: Record<string, (bytes: Buffer) => boolean> = {
  'application/pdf': (bytes) => startsWith(bytes, '%PDF-'),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ooxml('word/document.xml'),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ooxml('xl/workbook.xml'),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ooxml('ppt/presentation.xml'),
  'image/png': (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  'text/plain': plainText,
};

/** The types this checker knows; anything else is never a match. */
export const checkedTypes = Object.keys(signatures);

/** True when `bytes` carry the signature of `contentType`. */
export function contentMatchesType(contentType: string, bytes: Buffer): boolean {
  const check = signatures[contentType];
  return !!check && bytes.length > 0 && check(bytes);
}
