-- Which generation of vectors (embedding model and format, io.docqa.ai.IndexGeneration) a tenant's searches use, and
-- the one being built in the background when the service now embeds with another (a re-index from the chunk texts).
-- A tenant without a row is at the generation the service is configured with; the row is made at its first upload.
create table vector_indexes (
    tenant_id          uuid primary key references tenants (id) on delete cascade,
    active_generation  text not null,
    -- being built; searches move to it once every ready document is in it
    target_generation  text,
    -- the generation searches left, whose collection is still to be dropped
    retired_generation text,
    -- the instance re-indexing the tenant, and until when (as the ingestion leases of documents)
    owner_instance     text,
    lease_expires_at   timestamptz,
    -- where the re-index is inside the document it works on, so that a restart resumes there
    cursor_document    uuid,
    cursor_chunk       integer not null default -1,
    started_at         timestamptz,
    switched_at        timestamptz
);
create index vector_indexes_work_idx on vector_indexes (tenant_id)
    where target_generation is not null or retired_generation is not null;

-- The newest generation whose collection holds the document's vectors: the one active when its ingestion began, or
-- the target of a re-index that rebuilt it. Null for documents from before: they are in the tenant's active generation.
alter table documents add column index_generation text;
