import { readableBrief } from '../brief-view.ts';

/** The business brief as labelled facts; a brief that cannot be read says so instead of showing data. */
export function BriefCard({ brief }: { brief: unknown }) {
  const readable = readableBrief(brief);
  if (!readable)
    return <p className="muted">The brief could not be shown. Ask the agent to show it again.</p>;
  return (
    <dl className="brief-card">
      {readable.facts.map((fact) => (
        <div key={fact.label} className="brief-fact">
          <dt>{fact.label}</dt>
          {fact.lines.length === 1 ? (
            <dd>{fact.lines[0]}</dd>
          ) : (
            <dd>
              <ul>
                {fact.lines.map((line, index) => (
                  <li key={`${index}-${line}`}>{line}</li>
                ))}
              </ul>
            </dd>
          )}
        </div>
      ))}
      {readable.colours.length > 0 ? (
        <div className="brief-fact">
          <dt>Colours</dt>
          <dd className="brief-colours">
            {readable.colours.map((colour) => (
              <span key={colour.label} className="brief-colour">
                <span className="brief-swatch" style={{ backgroundColor: colour.hex }} aria-hidden="true" />
                {colour.label} <span className="mono">{colour.hex}</span>
              </span>
            ))}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
