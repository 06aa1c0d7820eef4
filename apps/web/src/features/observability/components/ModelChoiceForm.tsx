import type { RoleModel, UpdateProjectModels } from '@sitewright/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { ApiError } from '../../../lib/api.ts';
import { FormField } from '../../../lib/form-field.tsx';
import { errorMessage } from '../../../lib/ui.tsx';
import { projectKeys } from '../../projects/queries.ts';
import { modelFieldError, parseModelInput, roleWords, savedNote } from '../model-words.ts';
import { updateProjectModels } from '../queries.ts';

/**
 * Chooses a role's model for this project: a model id, or the server default ("Use default", or an
 * empty field). A refused save keeps what was typed and says why next to the field.
 */
export function ModelChoiceForm({ projectId, role }: { projectId: string; role: RoleModel }) {
  const client = useQueryClient();
  const { name } = roleWords[role.role];
  const id = `model-${role.role}`;
  const input = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState(role.override ?? '');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (value: string | null) => {
      const change: UpdateProjectModels = role.role === 'chat' ? { chat: value } : { code: value };
      return updateProjectModels(projectId, change);
    },
    onSuccess: (models) => {
      client.setQueryData(projectKeys.models(projectId), models);
      const saved = models.roles.find((candidate) => candidate.role === role.role);
      setDraft(saved?.override ?? '');
      setNote(saved ? savedNote(saved) : null);
    },
    onError: (error) => {
      // The server lost its keys since the page loaded: the view turns into the demo explanation.
      if (error instanceof ApiError && error.code === 'conflict') {
        void client.invalidateQueries({ queryKey: projectKeys.models(projectId) });
      }
    },
  });
  const refused = modelFieldError(save.error, role.role);
  const fieldError = invalid ?? refused ?? undefined;
  const otherError = save.error && !refused ? errorMessage(save.error) : null;
  // Once the server's reason is on screen and tied to the field, the keyboard lands on what to fix.
  useEffect(() => {
    if (modelFieldError(save.error, role.role)) input.current?.focus();
  }, [save.error, role.role]);

  const start = () => {
    setNote(null);
    setInvalid(null);
    save.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    start();
    const parsed = parseModelInput(role.role, draft);
    if (!parsed.ok) {
      // Rendered before the focus moves, so the field is announced with its error.
      flushSync(() => setInvalid(parsed.error));
      input.current?.focus();
      return;
    }
    save.mutate(parsed.value);
  };

  const backToDefault = () => {
    if (save.isPending) return;
    start();
    // The button goes away with the choice it clears: keyboard focus moves to the field.
    save.mutate(null, { onSuccess: () => input.current?.focus() });
  };

  return (
    <form className="model-form" noValidate onSubmit={submit}>
      <FormField
        id={id}
        label={`${name} model`}
        hint="A model id such as claude-sonnet-4-5, anthropic/claude-sonnet-4.5 or openai:gpt-4.1; empty for the server default"
        error={fieldError}
      >
        <input
          ref={input}
          name={id}
          value={draft}
          placeholder={role.configured ?? undefined}
          maxLength={200}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          onChange={(event) => {
            setDraft(event.target.value);
            if (!save.isPending && (invalid || save.error || note)) start();
          }}
        />
      </FormField>
      <div className="model-form-actions">
        <button type="submit" className="button button-small" aria-disabled={save.isPending || undefined}>
          {save.isPending ? 'Saving…' : 'Save'}
          <span className="visually-hidden"> the {name.toLowerCase()} model</span>
        </button>
        {role.override !== null ? (
          <button
            type="button"
            className="button button-secondary button-small"
            aria-disabled={save.isPending || undefined}
            onClick={backToDefault}
          >
            Use default<span className="visually-hidden"> for {name.toLowerCase()}</span>
          </button>
        ) : null}
        <p className="model-note" role="status">
          {note}
        </p>
      </div>
      {otherError ? (
        <p className="form-error" role="alert">
          {otherError}
        </p>
      ) : null}
    </form>
  );
}
