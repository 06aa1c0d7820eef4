export {
  type ChangedFile,
  type CommitAuthor,
  type CommitSummary,
  changedFiles,
  commitAll,
  defaultAuthor,
  ensureRepo,
  type FileChange,
  headCommit,
  listCommits,
  resetTo,
} from './site-repo.ts';
