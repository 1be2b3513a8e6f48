import cliProgress from 'cli-progress';

/** A progress bar on stderr (also when stderr is not a terminal: then a line every few seconds). */
export class Progress {
  private readonly bar: cliProgress.SingleBar;
  private readonly started = performance.now();

  constructor(label: string, total: number, unit = 'items') {
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | {duration_formatted}`,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 5000,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { rate: 0 });
  }

  update(value: number, extra: Record<string, unknown> = {}) {
    const seconds = (performance.now() - this.started) / 1000;
    this.bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0, ...extra });
  }

  stop(value?: number) {
    if (value !== undefined) this.update(value);
    this.bar.stop();
  }
}

/** Progress messages that are not bars. */
export const note = (message: string) => process.stderr.write(`${message}\n`);
