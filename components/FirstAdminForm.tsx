'use client';
import { useActionState } from 'react';
import type { FirstAdminState } from '../app/actions';

type Labels = { username: string; password: string; create: string };

export function FirstAdminForm({ action, labels }: { action: (s: FirstAdminState, f: FormData) => Promise<FirstAdminState>; labels: Labels }) {
  const [state, formAction, pending] = useActionState(action, { ok: false, message: '' });
  if (state.ok) return <p className="success" role="status">{state.message}</p>;
  return (
    <form action={formAction}>
      <label>
        {labels.username}
        <input key={state.attempt ?? 0} name="TargetUser" autoComplete="username" required maxLength={255} defaultValue={state.username ?? ''} />
      </label>
      <label>
        {labels.password}
        <input name="TargetPassword" type="password" autoComplete="new-password" required />
      </label>
      <button type="submit" disabled={pending}>{labels.create}</button>
      {state.message && <p className="error" role="alert">{state.message}</p>}
    </form>
  );
}
