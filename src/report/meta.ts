/**
 * What the reports and the command line say about clonecheck itself: its version, and where a page
 * of its docs can be read by whoever runs it.
 */
import { readFileSync } from 'node:fs';

export interface PackageInfo {
  readonly version: string;
  readonly repository?: unknown;
}

/** The package's own package.json (version and repository), read when asked. */
export function packageJson(): PackageInfo {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown; repository?: unknown };
    return { version: typeof pkg.version === 'string' ? pkg.version : '0.0.0', repository: pkg.repository };
  } catch {
    return { version: '0.0.0' };
  }
}

/**
 * A page of the docs (`docs/cli.md`, with an optional `#anchor`) as a link anyone can open: on the
 * repository that package.json names (GitHub), at this version's tag; else the file shipped with the
 * package.
 */
export function docsLink(page: string, pkg: PackageInfo = packageJson()): string {
  const repo =
    typeof pkg.repository === 'string'
      ? pkg.repository
      : typeof pkg.repository === 'object' && pkg.repository !== null
        ? (pkg.repository as { url?: unknown }).url
        : undefined;
  const github = typeof repo === 'string' ? /github\.com[/:]([^/]+\/[^/.#]+)/.exec(repo) : null;
  if (github) return `https://github.com/${github[1]}/blob/v${pkg.version}/${page}`;
  return new URL(`../../${page}`, import.meta.url).href;
}
