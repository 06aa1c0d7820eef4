export { SandboxError, type SandboxErrorCode } from './errors.ts';
export {
  BINARY_EXTENSIONS,
  type FileKind,
  MAX_PATH_CHARS,
  parseSitePath,
  ROOT_TEXT_FILES,
  type SitePath,
  TEXT_EXTENSIONS,
} from './policy.ts';
export {
  createSiteSandbox,
  DEFAULT_SANDBOX_LIMITS,
  type SandboxLimits,
  type SiteSandbox,
  type WriteResult,
} from './sandbox.ts';
