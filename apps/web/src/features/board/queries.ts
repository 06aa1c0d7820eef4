/**
 * The board's server state: the board itself (patched live by the WebSocket bridge under
 * `projectKeys.board`), one card, and the owner's changes to it. A change puts the cards it answered
 * with into the cached board at once, then refetches to be safe; the WebSocket confirms it anyway.
 */
import {
  Board,
  type CreateBugRequest,
  CreatedCards,
  type CreateFeatureRequest,
  WorkItemCard,
} from '@sitewright/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { requestApi, requestNoContent } from '../../lib/api.ts';
import { placeCard } from '../../lib/ws-bridge.ts';
import { projectKeys } from '../projects/queries.ts';

export function boardQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.board(projectId),
    queryFn: ({ signal }) => requestApi(`/api/projects/${projectId}/features`, Board, { signal }),
  });
}

/** One card, fresh from the server (the detail falls back to it when the board does not have it). */
export function cardQueryOptions(projectId: string, itemId: number) {
  return queryOptions({
    queryKey: [...projectKeys.board(projectId), 'card', itemId] as const,
    queryFn: ({ signal }) =>
      requestApi(`/api/projects/${projectId}/features/${itemId}`, WorkItemCard, { signal }),
  });
}

export function addFeature(projectId: string, input: CreateFeatureRequest): Promise<CreatedCards> {
  return requestApi(`/api/projects/${projectId}/features`, CreatedCards, { method: 'POST', body: input });
}

export function reportBug(projectId: string, input: CreateBugRequest): Promise<CreatedCards> {
  return requestApi(`/api/projects/${projectId}/features/bug`, CreatedCards, { method: 'POST', body: input });
}

export function skipCard(projectId: string, itemId: number): Promise<WorkItemCard> {
  return requestApi(`/api/projects/${projectId}/features/${itemId}/skip`, WorkItemCard, { method: 'PATCH' });
}

export function reprioritiseCard(projectId: string, itemId: number, priority: number): Promise<WorkItemCard> {
  return requestApi(`/api/projects/${projectId}/features/${itemId}`, WorkItemCard, {
    method: 'PATCH',
    body: { priority },
  });
}

export function deleteCard(projectId: string, itemId: number): Promise<void> {
  return requestNoContent(`/api/projects/${projectId}/features/${itemId}`, { method: 'DELETE' });
}

/** Where an evidence screenshot is served (the name is checked against the contract's pattern first). */
export function evidenceUrl(projectId: string, file: string): string {
  return `/api/projects/${projectId}/evidence/${encodeURIComponent(file)}`;
}

/**
 * A board mutation: `apply` says how its answer changes the cached board (cards in, a card out), so
 * the change shows before any refetch; the board is then refetched to be safe.
 */
export function useBoardMutation<TInput, TResult>(
  projectId: string,
  mutationFn: (input: TInput) => Promise<TResult>,
  apply: (board: Board, result: TResult, input: TInput) => Board,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (result, input) => {
      client.setQueryData<Board>(projectKeys.board(projectId), (board) =>
        board ? apply(board, result, input) : board,
      );
    },
    // Not awaited: the dialog that started it closes at once; the refetch lands when it lands.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: projectKeys.board(projectId) });
    },
  });
}

/** Puts cards a create answered with onto the board (a bug goes to the top, features to their lane). */
export function placeCards(board: Board, cards: readonly WorkItemCard[]): Board {
  return cards.reduce((next, card) => placeCard(next, card.id, card), board);
}
