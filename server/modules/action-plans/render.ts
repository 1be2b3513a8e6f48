import { createRequire } from 'node:module';
import { Document, HeadingLevel, Packer, PageOrientation, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { documentTypes as reportTypes } from '../contracts/render.ts';
import { danishDate as danishToday } from '../../lib/working-days.ts';
import type { ActionPlan, Initiative } from './schemas.ts';

/** pdfmake's document definition (loosely typed, as in contracts/render.ts: its typings do not resolve under NodeNext). */
type TDocumentDefinitions = Record<string, unknown>;
const require = createRequire(import.meta.url);
const PdfPrinter = require('pdfmake') as new (fonts: Record<string, Record<string, string>>) => { createPdfKitDocument(doc: TDocumentDefinitions): NodeJS.ReadableStream & { end(): void } };

export const documentTypes = { docx: reportTypes.docx, pdf: reportTypes.pdf } as const;
export type PlanFormat = keyof typeof documentTypes;

/** The seed's table (Indsats · Indhold/beskrivelse · Målsætning(er) · Ansvarlig), with the progress Knudepunkt adds. */
const columns = ['Indsats', 'Indhold/beskrivelse', 'Målsætning(er)', 'Ansvarlig', 'Status og fremdrift'];
const statusText: Record<Initiative['status'], string> = { planned: 'Planlagt', running: 'I gang', done: 'Gennemført', dropped: 'Opgivet' };
const assessmentText: Record<NonNullable<Initiative['assessment']>['value'], string> = { on_track: 'På rette spor', at_risk: 'I risiko', off_track: 'Ikke på sporet' };
const danishDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

const list = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} og ${names.at(-1)}`);

/** "X i samarbejde med Y og Z", as the seed writes it. */
export function responsibleText(i: Initiative): string {
  const responsible = i.responsible.organisation?.name ?? i.responsible.name ?? '';
  const partners = [...i.partners.organisations.map((o) => o.name), ...i.partners.names];
  return partners.length ? `${responsible} i samarbejde med ${list(partners)}` : responsible;
}

/** Status, derived progress, milestones and the manual assessment, line by line. */
export function progressLines(i: Initiative, today: string): string[] {
  const lines = [
    statusText[i.status],
    `Virksomheder nået: ${i.progress.companiesReached}`,
    `Arrangementer afholdt: ${i.progress.eventsHeld}`,
    `Henvisninger: ${i.progress.referralsMade}`,
  ];
  for (const m of i.milestones) {
    const state = m.doneOn ? `nået ${danishDate(m.doneOn)}` : m.dueOn < today ? `overskredet (${danishDate(m.dueOn)})` : `frist ${danishDate(m.dueOn)}`;
    lines.push(`Milepæl: ${m.title}, ${state}`);
  }
  if (i.assessment) lines.push(`Vurdering: ${assessmentText[i.assessment.value]}${i.assessment.comment ? ` – ${i.assessment.comment}` : ''}`);
  return lines;
}

/** Initiatives by focus area, in the plan's order of areas; those without one first, under the plan itself. */
function sections(plan: ActionPlan): { area: string | null; initiatives: Initiative[] }[] {
  const areas = [null, ...plan.focusAreas, ...new Set(plan.initiatives.map((i) => i.focusArea).filter((a): a is string => !!a && !plan.focusAreas.includes(a)))];
  return areas.map((area) => ({ area, initiatives: plan.initiatives.filter((i) => (i.focusArea ?? null) === area) })).filter((s) => s.initiatives.length > 0);
}

const cellsOf = (i: Initiative, today: string): string[][] => [[i.title], i.description.split('\n'), i.objectives, [responsibleText(i)], progressLines(i, today)];
const heading = (plan: ActionPlan) => `${plan.owner.name} · ${danishDate(plan.periodStart)}–${danishDate(plan.periodEnd)}`;

async function renderDocx(plan: ActionPlan, today: string): Promise<Buffer> {
  const cell = (lines: string[], bold = false) =>
    new TableCell({ children: lines.map((text) => new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })) });
  const table = (initiatives: Initiative[]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: columns.map((c) => cell([c], true)) }),
        ...initiatives.map((i) => new TableRow({ children: cellsOf(i, today).map((lines, n) => cell(lines, n === 0)) })),
      ],
    });
  const doc = new Document({
    creator: 'Knudepunkt',
    title: plan.title,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({ text: plan.title, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: heading(plan) }),
          ...(plan.focusAreas.length ? [new Paragraph({ children: [new TextRun({ text: 'Fokusområder: ', bold: true }), new TextRun(plan.focusAreas.join(', '))] })] : []),
          ...(plan.description ? plan.description.split('\n').map((line) => new Paragraph({ text: line })) : []),
          ...sections(plan).flatMap((s) => [new Paragraph({ text: s.area ?? 'Indsatser', heading: HeadingLevel.HEADING_2 }), table(s.initiatives)]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function renderPdf(plan: ActionPlan, today: string): Promise<Buffer> {
  const printer = new PdfPrinter({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } });
  const doc: TDocumentDefinitions = {
    defaultStyle: { font: 'Helvetica', fontSize: 8 },
    info: { title: plan.title, creator: 'Knudepunkt' },
    pageOrientation: 'landscape',
    content: [
      { text: plan.title, fontSize: 16, bold: true },
      { text: heading(plan), margin: [0, 4, 0, 0] },
      ...(plan.focusAreas.length ? [{ text: `Fokusområder: ${plan.focusAreas.join(', ')}`, margin: [0, 4, 0, 0] }] : []),
      ...(plan.description ? [{ text: plan.description, margin: [0, 6, 0, 0] }] : []),
      ...sections(plan).flatMap((s) => [
        { text: s.area ?? 'Indsatser', fontSize: 12, bold: true, margin: [0, 12, 0, 6] },
        {
          table: {
            headerRows: 1,
            widths: [80, '*', 140, 100, 130],
            body: [columns.map((c) => ({ text: c, bold: true })), ...s.initiatives.map((i) => cellsOf(i, today).map((lines, n) => ({ text: lines.join('\n'), bold: n === 0 })))],
          },
        },
      ]),
    ],
  };
  const pdf = printer.createPdfKitDocument(doc);
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.end();
  });
}

/** The plan as a file; `now` decides which milestones are overdue (a Danish calendar day). */
export async function renderPlan(plan: ActionPlan, format: PlanFormat, now: Date): Promise<Buffer> {
  const today = danishToday(now);
  return format === 'docx' ? renderDocx(plan, today) : renderPdf(plan, today);
}
