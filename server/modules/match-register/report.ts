/**
 * The steering group's status report, in the contract reports' layout and by their code
 * (contracts/render.ts): one line per type, municipality and other partner with matches, target,
 * fulfilment and the last quarter's matches as the development.
 */
import { renderReport, type DocumentFormat, type ReportGoal } from '../contracts/render.ts';
import type { MatchProject, Progress } from './schemas.ts';

const da = (n: number) => n.toLocaleString('da-DK', { maximumFractionDigits: 2 });
const fulfilment = (credited: number, target: number | null) => (target ? Math.round((credited / target) * 1000) / 10 : null);

export function reportGoals(project: MatchProject, progress: Progress): ReportGoal[] {
  const lastQuarter = progress.quarters.at(-1);
  const typeName = new Map(progress.types.map((t) => [t.key, t.name]));
  const byTypeText = (byType: Record<string, number>) =>
    Object.entries(byType)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${typeName.get(k) ?? k}: ${da(n)}`)
      .join(' · ');
  const goals: ReportGoal[] = [];
  const push = (group: string, title: string, row: { credited: number; target: number | null; byType: Record<string, number>; byQuarter: Record<string, number> }, comment?: string) =>
    goals.push({
      number: goals.length + 1, group, title, value: row.credited, target: row.target, fulfilment: fulfilment(row.credited, row.target), unit: 'match',
      trend: lastQuarter ? (row.byQuarter[lastQuarter] ?? 0) : null, comment: comment ?? (byTypeText(row.byType) || null),
    });
  push('I alt', 'Match i alt (hvert match én gang)', progress.total);
  for (const t of progress.types) {
    push('Matchtyper', t.name, { credited: progress.total.byType[t.key] ?? 0, target: null, byType: {}, byQuarter: {} }, '');
  }
  for (const m of progress.municipalities) push('Kommuner', `${m.name} Kommune`, m, m.excluded ? 'Ikke med i fordelingen (projektets regel)' : undefined);
  for (const p of progress.partners.filter((x) => x.municipalityCode === null)) push('Øvrige partnere', p.name, p);
  return goals;
}

export async function renderMatchReport(project: MatchProject, progress: Progress, format: DocumentFormat): Promise<Buffer> {
  const rule = project.creditRule === 'split' ? 'delt ligeligt mellem de partnere, der hjalp' : 'krediteret den partner, der registrerede det';
  return renderReport(
    {
      title: `${project.name}: status for styregruppen`,
      hub: project.owner.name,
      kkr: 'projektets partnere',
      asOf: progress.asOf,
      status: 'published',
      version: null,
      directorComment:
        `${progress.total.matches} match af målet ${project.targetTotal} (${project.municipalTarget} til kommunerne efter andel af arbejdspladser, ` +
        `${project.partnerTarget} til øvrige partnere). Et match, flere partnere har hjulpet med, tælles én gang og er ${rule}. ` +
        `Udvikling = match i seneste kvartal (${progress.quarters.at(-1) ?? '–'}).`,
      goals: reportGoals(project, progress),
    },
    format,
  );
}
