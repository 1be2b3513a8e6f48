/**
 * Strings for figures withheld by the server's disclosure control (KKR and national readers; for
 * evaluation results everyone but the hub looking at its own); put into the app's dictionaries by
 * web/src/messages.ts. The web never decides what is withheld: it only says so where the server sent a
 * suppressed cell or a "fewer than 5" figure, or an answer marked `disclosureControl`.
 */
export const disclosureDa = {
  'disclosure.periodHint': 'Under diskretionering ser du tal for hele måneder, kvartaler eller år, der er slut: fra den første dag i en måned til den sidste dag i samme måned, kvartal eller år. Uden datoer vises det seneste afsluttede kvartal.',
  'disclosure.evaluationNote': 'Resultaterne vises under statistisk diskretionering, så enkelte virksomheder ikke kan genkendes. Kun erhvervshuset selv ser sine egne resultater uden.',
  'disclosure.evaluationPeriod': 'Periode: {from}–{to}',
  'disclosure.groupedByMonth': 'Grupperet efter måned: under diskretionering kan et filter på erhvervshus, kommune eller leverancekategori ikke kombineres med en gruppering efter en anden af dem.',
  'disclosure.oneDimensionHint': 'Vælg højst én af erhvervshus, kommune og leverancekategori – som filter eller gruppering.',
  'disclosure.fewerThan5': 'Færre end 5',
  'disclosure.fewerThan5Long': 'Færre end 5 virksomheder: tallet vises ikke',
  'disclosure.fulfilmentWithheld': 'Målopfyldelse vises ikke, når tallet ikke vises',
  'disclosure.hidden': 'Skjult',
  'disclosure.hiddenOverTime': 'Tallet vises ikke: sammenholdt med en anden opgørelse ville det afsløre færre end 5 virksomheder',
  'disclosure.partHidden': 'skjult',
  'disclosure.monthEndHint': 'Som KKR eller national læser ser du tallene pr. den sidste dag i en måned, der er slut.',
};

export const disclosureEn: Record<keyof typeof disclosureDa, string> = {
  'disclosure.periodHint': 'Under disclosure control you see figures for whole months, quarters or years that have ended: from the first day of a month to the last day of the same month, quarter or year. Without dates, the latest quarter that has ended is shown.',
  'disclosure.evaluationNote': 'The results are shown under statistical disclosure control, so that single companies cannot be recognised. Only the business hub itself sees its own results without it.',
  'disclosure.evaluationPeriod': 'Period: {from}–{to}',
  'disclosure.groupedByMonth': 'Grouped by month: under disclosure control a filter on business hub, municipality or delivery category cannot be combined with a grouping by another of them.',
  'disclosure.oneDimensionHint': 'Choose at most one of business hub, municipality and delivery category – as a filter or a grouping.',
  'disclosure.fewerThan5': 'Fewer than 5',
  'disclosure.fewerThan5Long': 'Fewer than 5 companies: the figure is not shown',
  'disclosure.fulfilmentWithheld': 'Fulfilment is not shown when the figure is not',
  'disclosure.hidden': 'Hidden',
  'disclosure.hiddenOverTime': 'The figure is not shown: compared with another report it would reveal fewer than 5 companies',
  'disclosure.partHidden': 'hidden',
  'disclosure.monthEndHint': 'As a KKR or national reader you see the figures as of the last day of a month that has ended.',
};
