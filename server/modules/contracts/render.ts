import { createRequire } from 'node:module';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
/** pdfmake's document definition (loosely typed: its typings do not resolve under NodeNext). */
type TDocumentDefinitions = Record<string, unknown>;

const require = createRequire(import.meta.url);
// pdfmake's server-side printer is CommonJS; the 14 standard PDF fonts need no font files.
const PdfPrinter = require('pdfmake') as new (fonts: Record<string, Record<string, string>>) => { createPdfKitDocument(doc: TDocumentDefinitions): NodeJS.ReadableStream & { end(): void } };

export interface ReportGoal {
  number: number;
  group: string;
  title: string;
  value: number | null;
  target: number | null;
  fulfilment: number | null;
  unit: string;
  trend: number | null;
  comment: string | null;
  /**
   * Withheld from a reader under disclosure control: resting on fewer than 5 companies ("Færre end 5"),
   * or giving away fewer than 5 added since another date's figure ("Skjult"); no fulfilment either.
   */
  withheld?: 'fewer_than_5' | 'suppressed' | null;
}

export interface ReportDocument {
  title: string;
  hub: string;
  kkr: string;
  asOf: string;
  status: string;
  version: number | null;
  directorComment: string | null;
  goals: ReportGoal[];
}

const groupNames: Record<string, string> = { national: 'Nationalt fastsatte mål', joint: 'Fælles indsatsmål', regional: 'Regional strategi' };
const da = (v: number | null, digits = 1) => (v === null ? 'Ingen data' : v.toLocaleString('da-DK', { maximumFractionDigits: digits }));
const danishDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const trendText = (t: number | null) => (t === null ? '–' : t > 0 ? `+${da(t)}` : da(t));
const columns = ['Mål', 'Titel', 'Værdi', 'Måltal', 'Opfyldelse', 'Udvikling', 'Kommentar'];
/** What a figure resting on fewer than 5 companies says instead of its value. */
export const FEWER_THAN_5 = 'Færre end 5';
/** What a figure withheld so it cannot be subtracted from another date's says instead. */
export const HIDDEN = 'Skjult';
const withheldText = (g: ReportGoal) => (g.withheld === 'fewer_than_5' ? FEWER_THAN_5 : g.withheld ? HIDDEN : null);
const valueText = (g: ReportGoal) =>
  g.withheld === 'fewer_than_5' ? `${FEWER_THAN_5} ${g.unit === 'NPS' || g.unit === '%' ? 'svar' : g.unit}` : g.withheld ? HIDDEN : g.value === null ? 'Ingen data' : `${da(g.value)} ${g.unit}`;
const fulfilmentText = (g: ReportGoal) => withheldText(g) ?? (g.fulfilment === null ? '–' : `${da(g.fulfilment)} %`);
const row = (g: ReportGoal) => [String(g.number), g.title, valueText(g), g.target === null ? '–' : da(g.target), g.withheld ? '–' : fulfilmentText(g), trendText(g.trend), g.comment ?? ''];
const heading = (r: ReportDocument) => `Statusrapport pr. ${danishDate(r.asOf)}${r.version ? ` (version ${r.version}${r.status === 'published' ? ', offentliggjort' : ', kladde'})` : ''}`;

/** Excel: one row per goal, with data bars on fulfilment as the chart. */
export async function renderXlsx(report: ReportDocument): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Statusrapport');
  sheet.addRow([report.title]).font = { bold: true, size: 14 };
  sheet.addRow([`${report.hub} · ${report.kkr} · ${heading(report)}`]);
  if (report.directorComment) sheet.addRow([`Direktørens kommentar: ${report.directorComment}`]);
  sheet.addRow([]);
  const header = sheet.addRow(['Mål', 'Gruppe', 'Titel', 'Værdi', 'Enhed', 'Måltal', 'Opfyldelse (%)', 'Udvikling', 'Kommentar']);
  header.font = { bold: true };
  const first = header.number + 1;
  for (const g of report.goals) sheet.addRow([g.number, groupNames[g.group] ?? g.group, g.title, withheldText(g) ?? g.value, g.unit, g.target, g.fulfilment, g.trend, g.comment ?? '']);
  const last = sheet.lastRow!.number;
  sheet.addConditionalFormatting({ ref: `G${first}:G${last}`, rules: [{ type: 'dataBar', priority: 1, cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 100 }], color: { argb: 'FF0059B3' } } as ExcelJS.ConditionalFormattingRule] });
  [6, 14, 60, 12, 12, 10, 14, 10, 50].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Word: the goals table and a bar per goal drawn with shaded cells. */
export async function renderDocx(report: ReportDocument): Promise<Buffer> {
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })] });
  const goalsTable = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: columns.map((c) => cell(c, true)) }), ...report.goals.map((g) => new TableRow({ children: row(g).map((c) => cell(c)) }))],
  });
  // The chart: each goal's fulfilment as a bar of shaded cells, one cell per 10 %.
  const bars = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: report.goals.map(
      (g) =>
        new TableRow({
          children: [
            cell(`Mål ${g.number}`),
            ...Array.from({ length: 10 }, (_, i) =>
              new TableCell({
                shading: (g.fulfilment ?? 0) > i * 10 ? { type: ShadingType.SOLID, color: '0059B3', fill: '0059B3' } : undefined,
                children: [new Paragraph('')],
              }),
            ),
            cell(fulfilmentText(g)),
          ],
        }),
    ),
  });
  const doc = new Document({
    creator: 'Knudepunkt',
    title: report.title,
    sections: [
      {
        children: [
          new Paragraph({ text: report.title, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: `${report.hub} og ${report.kkr}` }),
          new Paragraph({ text: heading(report), heading: HeadingLevel.HEADING_2 }),
          ...(report.directorComment ? [new Paragraph({ children: [new TextRun({ text: 'Direktørens kommentar: ', bold: true }), new TextRun(report.directorComment)] })] : []),
          goalsTable,
          new Paragraph({ text: 'Målopfyldelse', heading: HeadingLevel.HEADING_2, alignment: AlignmentType.LEFT }),
          bars,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** PDF: the goals table and an SVG bar chart of fulfilment. */
export async function renderPdf(report: ReportDocument): Promise<Buffer> {
  const printer = new PdfPrinter({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } });
  const barHeight = 16;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="500" height="${report.goals.length * (barHeight + 6) + 10}">${report.goals
    .map((g, i) => {
      const y = i * (barHeight + 6) + 5;
      const w = Math.max(0, Math.min(100, g.fulfilment ?? 0)) * 3.5;
      return `<text x="0" y="${y + 12}" font-size="10">Mål ${g.number}</text><rect x="50" y="${y}" width="350" height="${barHeight}" fill="#e6e6e6"/><rect x="50" y="${y}" width="${w}" height="${barHeight}" fill="#0059b3"/><text x="410" y="${y + 12}" font-size="10">${fulfilmentText(g)}</text>`;
    })
    .join('')}</svg>`;
  const doc: TDocumentDefinitions = {
    defaultStyle: { font: 'Helvetica', fontSize: 9 },
    info: { title: report.title, creator: 'Knudepunkt' },
    pageOrientation: 'landscape',
    content: [
      { text: report.title, fontSize: 16, bold: true },
      { text: `${report.hub} og ${report.kkr}`, margin: [0, 4, 0, 0] },
      { text: heading(report), fontSize: 12, bold: true, margin: [0, 8, 0, 8] },
      ...(report.directorComment ? [{ text: `Direktørens kommentar: ${report.directorComment}`, margin: [0, 0, 0, 8] as [number, number, number, number] }] : []),
      { table: { headerRows: 1, widths: [25, '*', 70, 45, 55, 45, 150], body: [columns.map((c) => ({ text: c, bold: true })), ...report.goals.map(row)] } },
      { text: 'Målopfyldelse', fontSize: 12, bold: true, margin: [0, 12, 0, 6] },
      { svg, width: 480 },
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

/** The formats a report is downloaded in, with the media type each is sent as. */
export const documentTypes = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;
export type DocumentFormat = keyof typeof documentTypes;

/** A report as a file, for a download or the `report contract` command. */
export async function renderReport(document: ReportDocument, format: DocumentFormat): Promise<Buffer> {
  return format === 'xlsx' ? renderXlsx(document) : format === 'docx' ? renderDocx(document) : renderPdf(document);
}
