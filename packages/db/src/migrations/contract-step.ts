/**
 * Expand/contract for migrations (docs/runbooks/expand-contract.md). During every deploy the
 * previous release keeps serving while the pre-deploy step has already applied the new
 * migrations, so a migration may only *expand* the schema. Destructive statements — dropping or
 * renaming a column or table, changing a column's type, `SET NOT NULL` on an existing column —
 * belong in a later *contract* step, once no serving release reads the object. Such a migration
 * says so in a comment naming the release that stopped using what it removes:
 *
 *   -- contract: release 1a2b3c4 stopped using "users"."nickname"
 *
 * `<release>` is a git ref (commit or tag) of this repository, and must be an ancestor of HEAD
 * (a release that has shipped). Squawk's rules for those statements then accept the file.
 */
import { spawnSync } from 'node:child_process';

/** Squawk rules that flag a statement the previous release may not survive. */
export const DESTRUCTIVE_RULES = new Set([
  'ban-drop-column',
  'ban-drop-table',
  'ban-drop-database',
  'renaming-column',
  'renaming-table',
  'changing-column-type',
  'adding-not-nullable-field',
]);

export const EXPAND_CONTRACT_DOC = 'docs/runbooks/expand-contract.md';

export const EXPAND_CONTRACT_HELP =
  `expand/contract (${EXPAND_CONTRACT_DOC}): the previous release still serves while this migration runs. ` +
  'Expand now (add a nullable column or a new table, backfill, make the code use it); drop or rename in a ' +
  'later release, in a migration marked `-- contract: release <git ref> stopped using <objects>`.';

export interface ContractMarker {
  release: string;
  objects: string;
  /** 1-based line of the marker. */
  line: number;
}

const MARKER = /^\s*--\s*contract:\s*release\s+(\S+)\s+stopped using\s+(\S.*?)\s*$/im;

/** The `-- contract: release <ref> stopped using <objects>` comment of a migration, if any. */
export function contractMarker(sql: string): ContractMarker | undefined {
  const match = MARKER.exec(sql);
  if (!match) return undefined;
  return { release: match[1], objects: match[2], line: sql.slice(0, match.index).split('\n').length };
}

/**
 * Why `release` cannot be the release that stopped using an object (undefined when it can): it
 * must name a commit of the repository at `cwd` that HEAD contains.
 */
export function contractReleaseProblem(release: string, cwd: string): string | undefined {
  const verify = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${release}^{commit}`], {
    cwd,
    encoding: 'utf8',
  });
  if (verify.error) return `git is not available to check release ${release}`;
  if (verify.status !== 0) return `release ${release} is not a commit of this repository`;
  const ancestor = spawnSync('git', ['merge-base', '--is-ancestor', verify.stdout.trim(), 'HEAD'], { cwd });
  if (ancestor.status !== 0) return `release ${release} is not part of HEAD's history (it has not shipped)`;
  return undefined;
}
