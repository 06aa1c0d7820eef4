import { join } from 'node:path';

/** Where a project's files live under DATA_DIR: the site repository, evidence screenshots. */
export interface ProjectPaths {
  projectDir(projectId: string): string;
  siteDir(projectId: string): string;
  evidenceDir(projectId: string): string;
}

export function projectPaths(dataDir: string): ProjectPaths {
  const projectDir = (projectId: string) => {
    if (!/^[0-9a-f-]{36}$/.test(projectId)) throw new Error(`Not a project id: ${projectId}`);
    return join(dataDir, 'projects', projectId);
  };
  return {
    projectDir,
    siteDir: (projectId) => join(projectDir(projectId), 'site'),
    evidenceDir: (projectId) => join(projectDir(projectId), 'evidence'),
  };
}
