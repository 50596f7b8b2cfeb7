// The module-level imports of a Python file, read with a small tokenizer: statements that start at column 0 (so
// imports inside functions, classes, `if` and `try` blocks are left out), outside strings and comments, joined over
// bracketed and backslash-continued lines, split at `;`.

/** One module a file imports unconditionally when it is loaded. */
export interface PythonImport {
  /** The top-level package or module name (`yaml` for `import yaml.constructor`); relative imports are not listed. */
  readonly module: string;
  readonly line: number;
}

/** The unconditional module-level imports of a Python source. */
export function pythonTopLevelImports(source: string): PythonImport[] {
  const imports: PythonImport[] = [];
  for (const statement of logicalLines(source)) {
    if (statement.indented) continue;
    for (const part of statement.text.split(';')) {
      const words = part.trim();
      const from = /^from\s+([A-Za-z_][\w.]*)\s+import\b/.exec(words);
      if (from) {
        imports.push({ module: from[1].split('.')[0], line: statement.line });
        continue;
      }
      const plain = /^import\s+(.+)$/.exec(words);
      if (plain) {
        for (const name of plain[1].split(',')) {
          const module = name.trim().split(/\s+/)[0]?.split('.')[0];
          if (module && /^[A-Za-z_]\w*$/.test(module)) imports.push({ module, line: statement.line });
        }
      }
    }
  }
  return imports;
}

interface LogicalLine {
  readonly text: string;
  readonly line: number;
  readonly indented: boolean;
}

/**
 * Splits source into logical lines as Python's tokenizer does: strings (including triple-quoted ones) and comments are
 * blanked out, and a line continues while a bracket is open or it ends with a backslash.
 */
function logicalLines(source: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let text = '';
  let startLine = 1;
  let line = 1;
  let depth = 0;
  let atLineStart = true;
  let indented = false;
  let i = 0;
  const flush = () => {
    if (text.trim()) lines.push({ text, line: startLine, indented });
    text = '';
    atLineStart = true;
  };
  while (i < source.length) {
    const c = source[i];
    if (atLineStart && depth === 0) {
      if (c === '\n') { line++; i++; continue; }
      indented = c === ' ' || c === '\t';
      startLine = line;
      atLineStart = false;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === '\'') {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      while (i < source.length && !source.startsWith(quote, i)) {
        if (source[i] === '\n' && !triple) break; // an unterminated single-quoted string ends at the line
        if (source[i] === '\\') i++;
        if (source[i] === '\n') line++;
        i++;
      }
      if (source.startsWith(quote, i)) i += quote.length;
      text += ' "" ';
      continue;
    }
    if (c === '\\' && source[i + 1] === '\n') {
      i += 2;
      line++;
      text += ' ';
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    if (c === '\n') {
      line++;
      i++;
      if (depth === 0) flush();
      else text += ' ';
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return lines;
}
