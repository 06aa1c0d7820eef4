export function BoardPanel({ projectId: _projectId }: { projectId: string }) {
  return <p className="muted">Coming soon.</p>;
}
