// Prisma CLI configuration. The CLI is only used for `prisma generate` here (see scripts/prisma-generate.mjs);
// migrations are applied by lib/db/migrate.ts. Prisma's env() throws when a variable is unset, so read it directly.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/halley' },
});
