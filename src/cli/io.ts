// Where commands write. Injected, so tests call commands directly and read what they printed.
export interface Output {
  write(text: string): void;
}

export interface CommandIo {
  stdout: Output;
  stderr: Output;
}

export const processIo: CommandIo = {
  stdout: { write: (text) => void process.stdout.write(text) },
  stderr: { write: (text) => void process.stderr.write(text) },
};
