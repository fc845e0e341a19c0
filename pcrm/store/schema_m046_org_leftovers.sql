-- m046_org_leftovers: which organizations pcrm made itself for a contact's company [company-orgs]. A contact's
-- delete takes out the organization left without a contact when pcrm made it and nobody touched it since; that
-- it was made with the contact deleted first could be read from their created_at, but once another contact of
-- the company had joined and the first had gone, nothing said who made it, and deleting the last contact left
-- an empty organization behind. 1: made by pcrm for a company (a contact's create, edit or import) and not
-- edited since; 0: added by hand (`pcrm orgs add`), edited since, or made before this migration with no sign of
-- it. Organizations already stored count as made by pcrm when they have never changed since they were made and
-- were made with one of their contacts or by a change that journals them as made for a company.
ALTER TABLE organizations ADD COLUMN made_for_company INTEGER NOT NULL DEFAULT 0
    CHECK (made_for_company IN (0, 1));
UPDATE organizations SET made_for_company = 1
WHERE updated_at = created_at AND (
    EXISTS (SELECT 1 FROM contacts c WHERE c.organization_id = organizations.id
            AND c.created_at = organizations.created_at)
    OR EXISTS (SELECT 1 FROM bulk_updates b WHERE b.kind <> 'org-add'
            AND instr(coalesce(json_extract(b.changes, '$.organizations_made'), '[]'), organizations.uuid) > 0)
    OR EXISTS (SELECT 1 FROM import_batches i WHERE i.changes IS NOT NULL
            AND instr(coalesce(json_extract(i.changes, '$.organizations_created'), '[]'), organizations.uuid) > 0)
);
