import type { RoleModel } from '@sitewright/contracts';
import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, Loading } from '../../../lib/ui.tsx';
import { type ModelSource, modelSource, providerWords, roleWords, sourceWords } from '../model-words.ts';
import { projectModelsQueryOptions } from '../queries.ts';
import { ModelChoiceForm } from './ModelChoiceForm.tsx';

const sourceTag: Record<ModelSource, string> = {
  default: 'tag',
  project: 'tag tag-ok',
  unreachable: 'tag tag-warning',
};

/**
 * The model each role uses for this project — the server's default or the owner's choice — with its
 * fallback, and a form per role to choose another. With the offline demo worker there is nothing to
 * choose.
 */
export function ModelsView({ projectId }: { projectId: string }) {
  const models = useQuery(projectModelsQueryOptions(projectId));

  if (models.isPending) return <Loading label="Loading the models…" />;
  if (models.error) return <ErrorNotice error={models.error} onRetry={() => void models.refetch()} />;
  if (models.data.demo) {
    return (
      <p className="empty">
        The offline demo worker answers; set a model key on the server to choose models.
      </p>
    );
  }
  return (
    <>
      <p className="small muted">
        Each part of the work can use its own model. A change applies from the next model call.
      </p>
      <div className="model-roles">
        {models.data.roles.map((role) => (
          <RoleModelCard key={role.role} projectId={projectId} role={role} />
        ))}
      </div>
    </>
  );
}

function RoleModelCard({ projectId, role }: { projectId: string; role: RoleModel }) {
  const words = roleWords[role.role];
  const source = modelSource(role);
  const titleId = `model-${role.role}-title`;
  return (
    <section className="model-role" aria-labelledby={titleId}>
      <div className="model-role-header">
        <h3 className="model-role-name" id={titleId}>
          {words.name}
        </h3>
        <span className={sourceTag[source]} data-testid="model-source">
          {sourceWords[source]}
        </span>
      </div>
      <p className="small muted">{words.does}</p>
      <dl className="model-facts">
        <div>
          <dt>In use</dt>
          <dd data-testid="model-in-use">
            <span className="model-name">{role.model ?? 'unknown'}</span>
            {role.provider ? <span className="model-provider">{providerWords[role.provider]}</span> : null}
          </dd>
        </div>
        {source === 'default' ? null : (
          <div>
            <dt>Server default</dt>
            <dd className="model-name">{role.configured}</dd>
          </div>
        )}
        <div>
          <dt>Fallback</dt>
          <dd data-testid="model-fallback">
            {role.fallback ? (
              <>
                <span className="model-name">{role.fallback}</span>
                <span className="model-provider">Used while the model in use is busy</span>
              </>
            ) : (
              <span className="muted">None: the agent pauses while the model is busy, then carries on</span>
            )}
          </dd>
        </div>
      </dl>
      {source === 'unreachable' ? (
        <p className="notice notice-warning small">
          This project chose {role.override}, which the server’s keys no longer reach, so the server default
          answers instead.
        </p>
      ) : null}
      <ModelChoiceForm projectId={projectId} role={role} />
    </section>
  );
}
