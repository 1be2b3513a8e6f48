import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface Row {
  figure: string;
  measured: string;
  /** Empty when the figure is diagnostic only. */
  budget?: string;
  met?: boolean;
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| figure | measured | budget | met? |', '| --- | ---: | ---: | :---: |'];
  for (const r of rows) {
    const met = r.met === undefined ? '–' : r.met ? 'yes' : '**no**';
    lines.push(`| ${escapeCell(r.figure)} | ${escapeCell(r.measured)} | ${escapeCell(r.budget ?? '–')} | ${met} |`);
  }
  return lines.join('\n');
}

const HEADER = `# Benchmarks

Figures measured by \`npm run bench\` (\`bench/run.ts\`). Each benchmark owns one section between
\`<!-- bench:NAME:begin -->\` and \`<!-- bench:NAME:end -->\` markers and rewrites only that section,
so hand-written notes outside the markers survive and later benchmarks can add sections of their own.
Benchmarks only report: no test asserts on timings.
`;

/** Replaces (or appends) the section `key` of a Markdown file, creating the file with a header when missing. */
export function writeSection(file: string, key: string, body: string): void {
  const begin = `<!-- bench:${key}:begin -->`;
  const end = `<!-- bench:${key}:end -->`;
  const section = `${begin}\n${body.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from !== -1 && to > from) text = text.slice(0, from) + section + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
