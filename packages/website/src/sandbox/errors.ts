/** Why the sandbox refused a path or a file; `code` is stable, `message` is written for the worker. */
export type SandboxErrorCode =
  | 'outside_root'
  | 'absolute_path'
  | 'parent_traversal'
  | 'git_dir'
  | 'symlink_escape'
  | 'too_large'
  | 'file_type'
  | 'invalid_path'
  | 'not_found'
  | 'too_many_files';

export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A path as it may appear in a message: invisible characters made visible and long paths shortened,
 * so a hostile path cannot smuggle control characters or megabytes into the worker's context.
 */
export function showPath(path: string): string {
  const visible = String(path).replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '\uFFFD');
  return `\`${visible.length > 80 ? `${visible.slice(0, 77)}…` : visible}\``;
}
