import fs from 'node:fs';
import { parse } from 'yaml';

/** One instruction of a Dockerfile (continuation lines joined). */
export interface DockerInstruction {
  instruction: string;
  args: string;
}

export interface DockerStage {
  name: string | null;
  from: string;
  instructions: DockerInstruction[];
}

/** Parse a Dockerfile into its stages (enough to check its structure; not a full parser). */
export function parseDockerfile(text: string): DockerStage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instruction = m[1].toUpperCase();
    if (instruction === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(m[2]);
      stages.push({ from: from?.[1] ?? m[2], name: from?.[2] ?? null, instructions: [] });
    } else {
      stages[stages.length - 1]?.instructions.push({ instruction, args: m[2] });
    }
  }
  return stages;
}

export interface ComposeFile {
  services: Record<
    string,
    Record<string, unknown> & {
      image?: string;
      command?: string | string[];
      depends_on?: Record<string, { condition?: string; required?: boolean }>;
      healthcheck?: { test?: string | string[]; disable?: boolean };
      ports?: string[];
      profiles?: string[];
      volumes?: string[];
      build?: unknown;
      environment?: Record<string, string>;
    }
  >;
  volumes?: Record<string, unknown>;
}

export function loadCompose(file: string): ComposeFile {
  return parse(fs.readFileSync(file, 'utf8')) as ComposeFile;
}
