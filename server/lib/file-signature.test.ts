import { describe, expect, it } from 'vitest';
import { samples } from '../test/file-samples.ts';
import { checkedTypes, contentMatchesType } from './file-signature.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const PNG = 'image/png';
const JPEG = 'image/jpeg';
const TXT = 'text/plain';

describe('file signatures', () => {
  it('checks every type evidence may have', () => {
    expect(checkedTypes.sort()).toEqual([PDF, DOCX, PPTX, XLSX, PNG, JPEG, TXT].sort());
  });

  it('accepts real files of each type', async () => {
    expect(contentMatchesType(PDF, samples.pdf)).toBe(true);
    expect(contentMatchesType(DOCX, await samples.docx())).toBe(true);
    expect(contentMatchesType(XLSX, await samples.xlsx())).toBe(true);
    expect(contentMatchesType(PPTX, await samples.pptx())).toBe(true);
    expect(contentMatchesType(PNG, samples.png)).toBe(true);
    expect(contentMatchesType(JPEG, samples.jpeg)).toBe(true);
    expect(contentMatchesType(TXT, samples.text)).toBe(true);
    expect(contentMatchesType(TXT, samples.latin1Text)).toBe(true);
  });

  it('refuses content that is not what it claims', async () => {
    expect(contentMatchesType(PDF, samples.html)).toBe(false);
    expect(contentMatchesType(PDF, samples.exe)).toBe(false);
    expect(contentMatchesType(PNG, samples.jpeg)).toBe(false);
    expect(contentMatchesType(JPEG, samples.png)).toBe(false);
    expect(contentMatchesType(DOCX, await samples.zip())).toBe(false);
    expect(contentMatchesType(DOCX, await samples.xlsx())).toBe(false);
    expect(contentMatchesType(XLSX, await samples.docx())).toBe(false);
    expect(contentMatchesType(TXT, samples.exe)).toBe(false);
    expect(contentMatchesType(TXT, samples.png)).toBe(false);
    expect(contentMatchesType(TXT, Buffer.from('\uFEFFtekst', 'utf16le'))).toBe(false);
    expect(contentMatchesType(PDF, Buffer.alloc(0))).toBe(false);
    expect(contentMatchesType('application/x-msdownload', samples.exe)).toBe(false);
  });
});
