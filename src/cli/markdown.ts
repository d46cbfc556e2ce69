// Pieces of GitHub-flavoured markdown that hostile text cannot break.

/** A table cell: no pipe or newline may break the row. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A code span: no backtick may end it early. */
export function code(text: string): string {
  return text === '' ? '' : `\`${text.replace(/`/g, "'")}\``;
}
