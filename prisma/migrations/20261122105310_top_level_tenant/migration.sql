-- The top-level organization always exists; code refers to it by this fixed id (TOP_LEVEL_TENANT_ID).
INSERT INTO "Tenant" (id, name, "isTopLevel", hosts, data, "updatedAt") VALUES ('00000000-0000-0000-0000-000000000000', 'Top level', true, '{}', '{}', now());
