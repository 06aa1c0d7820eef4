/** Snapshots and commits shaped into the contract's DTOs. */
import type { Commit, SnapshotDto } from '@sitewright/contracts';
import type { Snapshot } from '@sitewright/engine';
import type { CommitSummary } from './site.service.ts';

export function toSnapshot(snapshot: Snapshot): SnapshotDto {
  return {
    id: snapshot.id,
    name: snapshot.name,
    kind: snapshot.kind,
    commitSha: snapshot.commitSha,
    atSeq: snapshot.atSeq,
    createdAt: snapshot.createdAt.toISOString(),
  };
}

export function toCommit(commit: CommitSummary): Commit {
  return { sha: commit.sha, message: commit.message, createdAt: commit.at.toISOString() };
}

/** "Maria's Pizzeria" → `marias-pizzeria`: a download name that is safe in every file system. */
export function archiveName(projectName: string): string {
  const slug = projectName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'site'}.zip`;
}
