// Where commands write. Injected, so tests call commands directly and read what they printed.
export interface Output {
  write(text: string): void;
  /** a terminal: colours on stdout, a progress line and human logs on stderr */
  readonly isTTY?: boolean;
}

export interface CommandIo {
  stdout: Output;
  stderr: Output;
}

export const processIo: CommandIo = {
  stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
  stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
};
