import { headers } from 'next/headers';
import { serverHasAdmin } from '../lib/admins/add-first-admin';
import { APPLICATION_VERSION } from '../lib/comet/constants';
import { HALLEY_VERSION } from '../lib/meta/version';
import messages from '../messages/en.json';
import { FirstAdminForm } from '../components/FirstAdminForm';
import { createFirstAdmin } from './actions';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const t = messages.home;
  const hasAdmin = await serverHasAdmin();
  const host = (await headers()).get('host') ?? 'localhost:8060';
  return (
    <main>
      <h1>{t.title}</h1>
      <p className="muted">{t.tagline}</p>
      <p className="muted">{t.version.replace('{version}', HALLEY_VERSION).replace('{cometVersion}', APPLICATION_VERSION.APPLICATION_VERSION)}</p>
      <h2>{t.apiHeading}</h2>
      <p>
        {t.apiText} <code>http://{host}/</code>
      </p>
      <p>
        <a href="/api/v1/openapi.json">{t.openapi}</a>
      </p>
      {hasAdmin ? (
        <p>{t.ready}</p>
      ) : (
        <>
          <h2>{t.firstAdminHeading}</h2>
          <p>{t.firstAdminText}</p>
          <FirstAdminForm action={createFirstAdmin} labels={{ username: t.username, password: t.password, create: t.create }} />
        </>
      )}
    </main>
  );
}
