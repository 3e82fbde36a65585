/** `--flag`, `--flag=value` and `--flag value` command-line options, for the deploy CLIs. */
export function parseArgs(
  argv: string[],
  spec: { flags: string[]; values: string[]; repeatable?: string[] },
): { flags: Set<string>; values: Map<string, string[]> } {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    if (spec.flags.includes(name) && inline === undefined) flags.add(name);
    else if (spec.values.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
      if (values.has(name) && !spec.repeatable?.includes(name)) throw new Error(`${name} given twice`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else throw new Error(`unknown option ${argv[i]}`);
  }
  return { flags, values };
}
