-- Issue 19: a PolicyID is unique within its tenant only, so admin/policies/set can create a missing id
-- without revealing that another tenant already uses it.
ALTER TABLE "Policy" DROP CONSTRAINT "Policy_pkey";
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_pkey" PRIMARY KEY ("tenantId", "id");
