'use client';
// Last resort when the root layout itself fails: plain markup (no providers are available here).
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', padding: '3rem', maxWidth: '40rem', margin: '0 auto' }}>
        <h1 style={{ fontSize: '1.4rem' }}>Halley could not show this page</h1>
        <p role="alert">
          An internal error occurred.{error.digest ? ` Reference: ${error.digest}` : ''} The server log has the details under this reference.
        </p>
        <button type="button" onClick={reset} style={{ padding: '.5rem 1rem' }}>
          Try again
        </button>
      </body>
    </html>
  );
}
