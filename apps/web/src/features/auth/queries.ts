import {
  type ChangePasswordRequest,
  type CreateUserRequest,
  LoginResponse,
  MeResponse,
  type User,
  UserList,
  UserResponse,
} from '@sitewright/contracts';
import { queryOptions } from '@tanstack/react-query';
import { ApiError, requestApi, requestNoContent } from '../../lib/api.ts';

export const authKeys = {
  me: ['auth', 'me'] as const,
  users: ['auth', 'users'] as const,
};

/** The signed-in user, or null when there is no session (not an error: the app shows sign-in). */
export function meQueryOptions() {
  return queryOptions({
    queryKey: authKeys.me,
    queryFn: async ({ signal }): Promise<User | null> => {
      try {
        return (await requestApi('/api/auth/me', MeResponse, { signal })).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export async function login(username: string, password: string): Promise<User> {
  return (
    await requestApi('/api/auth/login', LoginResponse, { method: 'POST', body: { username, password } })
  ).user;
}

export function logout(): Promise<void> {
  return requestNoContent('/api/auth/logout', { method: 'POST' });
}

export async function changePassword(input: ChangePasswordRequest): Promise<User> {
  return (await requestApi('/api/auth/change-password', MeResponse, { method: 'POST', body: input })).user;
}

export function usersQueryOptions() {
  return queryOptions({
    queryKey: authKeys.users,
    queryFn: async ({ signal }) => (await requestApi('/api/users', UserList, { signal })).users,
  });
}

export async function createUser(input: CreateUserRequest): Promise<User> {
  return (await requestApi('/api/users', UserResponse, { method: 'POST', body: input })).user;
}

export function deleteUser(id: string): Promise<void> {
  return requestNoContent(`/api/users/${id}`, { method: 'DELETE' });
}
