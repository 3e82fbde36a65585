/**
 * The executable parts of a runbook (docs/runbooks/deploy.md): fenced blocks whose info string
 * says `runnable`, each with the output it promises (the next ```text output block).
 *
 *   ```bash runnable [exit=N] [setup=NAME]     run with bash; must exit N (default 0)
 *   ```sql runnable                            run against DATABASE_URL; must succeed
 *   ```text output                             lines the previous block must print, in order;
 *                                              `…` stands for anything
 */
export interface RunbookBlock {
  language: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The `## ` heading the block is under. */
  section: string;
  exitCode: number;
  setup?: string;
  /** Lines the block must print, in order (from the following ```text output block). */
  expected: string[];
}

const FENCE = /^(\s*)```(\S*)[ \t]*(.*)$/;

/** Every runnable block of `markdown`, in document order. */
export function runnableBlocks(markdown: string): RunbookBlock[] {
  const lines = markdown.split('\n');
  const blocks: RunbookBlock[] = [];
  let section = '';
  let last: RunbookBlock | undefined;
  for (let i = 0; i < lines.length; i++) {
    const heading = /^##\s+(.*)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, language, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++)
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    const words = info.split(/\s+/).filter(Boolean);
    if (words.includes('runnable')) {
      const attr = (name: string) => words.find((w) => w.startsWith(`${name}=`))?.slice(name.length + 1);
      last = {
        language,
        code: body.join('\n'),
        line: i + 1,
        section,
        exitCode: Number(attr('exit') ?? 0),
        setup: attr('setup'),
        expected: [],
      };
      blocks.push(last);
    } else if (language === 'text' && words.includes('output')) {
      if (!last) throw new Error(`line ${i + 1}: an output block with no runnable block before it`);
      last.expected = body.map((l) => l.trim()).filter(Boolean);
      last = undefined;
    }
    i = j;
  }
  return blocks;
}

/**
 * The expected lines that `output` does not print, in order (`…` matches anything, including
 * nothing; several expected lines may match within one printed line, left to right).
 */
export function missingOutput(expected: string[], output: string): string[] {
  let offset = 0;
  const missing: string[] = [];
  for (const line of expected) {
    const pattern = new RegExp(
      line
        .split('…')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[\\s\\S]*?'),
    );
    const match = pattern.exec(output.slice(offset));
    if (!match) missing.push(line);
    else offset += match.index + match[0].length;
  }
  return missing;
}
