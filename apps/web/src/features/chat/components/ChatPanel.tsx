import type { ProjectDetail } from '@sitewright/contracts';
import type { ProjectStream } from '../../project/stream.ts';

export function ChatPanel(_props: { projectId: string; detail: ProjectDetail; stream: ProjectStream }) {
  return <p className="muted">Coming soon.</p>;
}
