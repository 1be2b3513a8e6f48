import cliProgress from 'cli-progress';
import { tr } from './language.ts';

/**
 * Where a command reports to: a terminal, a remote CLI, or nothing. Its result and everything else
 * are kept apart so the result can be piped (`… --json | jq`) while progress and notes stay visible.
 */
export interface Reporter {
  progress(label: string, value: number, total: number): void;
  /** Notes, warnings, rejected lines: stderr. */
  log(message: string): void;
  /** What the command was run for (a summary, a document, a password): stdout. */
  result(text: string): void;
  done(): void;
}

/** Progress without a terminal (a log file, a pipe): a line per tenth, not a redrawn bar. */
function progressLines(stream: NodeJS.WritableStream) {
  let current = '';
  let lastTenth = -1;
  return (label: string, value: number, total: number) => {
    const tenth = total > 0 ? Math.floor((value / total) * 10) : 10;
    if (label !== current) {
      current = label;
      lastTenth = -1;
    }
    if (tenth > lastTenth) stream.write(`${label}: ${tenth * 10} %\n`);
    lastTenth = Math.max(tenth, lastTenth);
  };
}

export function terminalReporter(stream: NodeJS.WriteStream = process.stderr, out: NodeJS.WritableStream = process.stdout): Reporter {
  let bar: cliProgress.SingleBar | undefined;
  let barLabel = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const lines = progressLines(stream);
  return {
    progress(label, value, total) {
      if (!stream.isTTY) return lines(label, value, total);
      if (!bar || label !== barLabel) {
        stop();
        barLabel = label;
        bar = new cliProgress.SingleBar(
          { stream, format: `${label} [{bar}] {percentage}% | {eta_formatted} ${tr('igen', 'left')}`, hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, value);
      }
      bar.setTotal(total);
      bar.update(value);
    },
    log(message) {
      stop();
      stream.write(message + '\n');
    },
    result(text) {
      stop();
      out.write(text + '\n');
    },
    done: stop,
  };
}
