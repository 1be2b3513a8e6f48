import cliProgress from 'cli-progress';

/** Where long-running work reports to: a terminal progress bar, a remote CLI, or nothing. */
export interface Reporter {
  progress(label: string, value: number, total: number): void;
  log(message: string): void;
  done(): void;
}

export function terminalReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  let bar: cliProgress.SingleBar | undefined;
  let barLabel = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    progress(label, value, total) {
      if (!stream.isTTY) return;
      if (!bar || label !== barLabel) {
        stop();
        barLabel = label;
        bar = new cliProgress.SingleBar(
          { stream, format: `${label} [{bar}] {percentage}% | {eta_formatted} igen`, hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, value);
      }
      bar.setTotal(total);
      bar.update(value);
    },
    log(message) {
      stop();
      process.stdout.write(message + '\n');
    },
    done: stop,
  };
}
