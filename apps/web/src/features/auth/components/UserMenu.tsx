import type { User } from '@sitewright/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Link, navigate } from '../../../lib/router.tsx';
import { authKeys, logout } from '../queries.ts';

/** The header's links for the signed-in user: projects, users (admins), account, sign out. */
export function UserMenu({ user }: { user: User }) {
  const client = useQueryClient();
  const signOut = async () => {
    await logout().catch(() => {});
    client.setQueryData(authKeys.me, null);
    navigate('/', { replace: true });
  };
  return (
    <nav className="user-menu" aria-label="Account">
      <Link href="/">Projects</Link>
      {user.role === 'admin' ? <Link href="/admin/users">Users</Link> : null}
      <Link href="/account" title={`Signed in as ${user.username}`}>
        {user.username}
      </Link>
      <button type="button" className="link-button" onClick={signOut}>
        Sign out
      </button>
    </nav>
  );
}
