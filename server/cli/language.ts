import { Help, type Command, type Option } from 'commander';
import { cliLanguage, describeVariables } from '../config.ts';

/** The CLI speaks one language per run: KNUDEPUNKT_LANG, else the locale, else Danish. */
export const language = cliLanguage();

/** Picks the text for the CLI's language; every text the CLI shows is written in both. */
export const tr = (da: string, en: string): string => (language === 'da' ? da : en);

/** Commander's own words, which are English. */
const danishTitles: Record<string, string> = {
  'Usage:': 'Brug:',
  'Options:': 'Tilvalg:',
  'Commands:': 'Kommandoer:',
  'Arguments:': 'Argumenter:',
  'Global Options:': 'Globale tilvalg:',
};

const danishUsage = (text: string) => text.replace(/\[options\]/g, '[tilvalg]').replace(/\[command\]/g, '[kommando]');
const danishExtras = (text: string) => text.replace(/\bdefault: /g, 'standard: ').replace(/\bchoices: /g, 'valg: ');

/** Commander's parse errors (a missing argument, an unknown option, …), which it writes in English. */
const danishErrors: [RegExp, string][] = [
  [/^error: unknown command '(.*)'/, "fejl: ukendt kommando '$1'"],
  [/^error: unknown option '(.*)'/, "fejl: ukendt tilvalg '$1'"],
  [/^error: missing required argument '(.*)'/, "fejl: argumentet '$1' mangler"],
  [/^error: required option '(.*)' not specified/, "fejl: tilvalget '$1' skal angives"],
  [/^error: option '(.*)' argument missing/, "fejl: tilvalget '$1' mangler sin værdi"],
  [/^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\./, "fejl: for mange argumenter til '$1': ventede $2, fik $3."],
  [/^error: too many arguments\. Expected (\d+) arguments? but got (\d+)\./, 'fejl: for mange argumenter: ventede $1, fik $2.'],
  [/\(Did you mean (.*)\?\)/, '(Mente du $1?)'],
  [/^error: /, 'fejl: '],
];

export function danishError(text: string): string {
  return danishErrors.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** Exit codes, for `--help` and docs/operations.md. */
export const EXIT_CODES_HELP = tr(
  [
    'Slutkoder:',
    '  0   udført',
    '  1   fejlet (også forkert brug af kommandoen)',
    '  2   udført, men linjer blev afvist (importer)',
    '  64  kommandoen gælder ikke her (backup/restore med DATABASE_URL)',
    '  65  filen er ikke en sikkerhedskopi (restore)',
    '  75  forbindelsen til serveren blev afbrudt; serveren kører måske kommandoen færdig (se dens log)',
    '  78  ugyldig konfiguration',
    '  130 afbrudt med Ctrl-C',
  ].join('\n'),
  [
    'Exit codes:',
    '  0   done',
    '  1   failed (also wrong use of the command)',
    '  2   done, but lines were rejected (imports)',
    '  64  the command does not apply here (backup/restore with DATABASE_URL)',
    '  65  the file is not a backup (restore)',
    '  75  the connection to the server was lost; the server may still finish the command (see its log)',
    '  78  invalid configuration',
    '  130 interrupted with Ctrl-C',
  ].join('\n'),
);

/**
 * Makes commander speak the CLI's language: its titles, usage words, help option and errors. Call it
 * before adding commands, which inherit these settings.
 */
export function localise(program: Command, version: string): Command {
  program
    .version(version, '-V, --version', tr('vis versionsnummeret', 'output the version number'))
    .helpOption('-h, --help', tr('vis hjælp til kommandoen', 'display help for command'))
    .helpCommand(tr('help [kommando]', 'help [command]'), tr('vis hjælp til en kommando', 'display help for command'))
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\n${describeVariables(language)}`);
  if (language === 'da') {
    const base = Help.prototype;
    program
      .configureHelp({
        styleTitle: (title: string) => danishTitles[title] ?? title,
        commandUsage(this: Help, command: Command) {
          return danishUsage(base.commandUsage.call(this, command));
        },
        subcommandTerm(this: Help, command: Command) {
          return danishUsage(base.subcommandTerm.call(this, command));
        },
        optionDescription(this: Help, option: Option) {
          return danishExtras(base.optionDescription.call(this, option));
        },
      })
      .configureOutput({ outputError: (text, write) => write(danishError(text)) });
  }
  return program;
}
