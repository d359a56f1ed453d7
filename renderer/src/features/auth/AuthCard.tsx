import type { ReactNode } from 'react';

/** The frame of the screens shown before the workspace: setup, sign-in, password change. */
export function AuthCard({ title, testId, overlay = false, children }: { title: string; testId: string; overlay?: boolean; children: ReactNode }) {
  return (
    <div className={overlay ? 'auth-screen auth-overlay' : 'auth-screen'} data-testid={testId}>
      <section className="auth-card" aria-labelledby={`${testId}-title`}>
        <p className="brand">Noctis</p>
        <h1 id={`${testId}-title`}>{title}</h1>
        {children}
      </section>
    </div>
  );
}

/** A refusal as one line: what happened and what to do. */
export function refusalText(error: { message: string; recovery: string }): string {
  return `${error.message} ${error.recovery}`;
}
