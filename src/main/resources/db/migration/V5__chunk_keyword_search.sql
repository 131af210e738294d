-- Keyword search over chunks. The application fills `search` at insert time with its configured text-search
-- configuration (docqa.retrieval.text-search-config); rows from before this migration get the default, english.
-- Queries always add `tenant_id = :tenant`: the GIN index finds the matching rows, the predicate keeps the tenant's.
alter table document_chunks add column search tsvector;
update document_chunks set search = to_tsvector('english', coalesce(section, '') || ' ' || text);
create index document_chunks_search_idx on document_chunks using gin (search);

-- An answer given without calling the model because nothing in the documents is relevant.
alter table messages drop constraint messages_finish_reason_check;
alter table messages add constraint messages_finish_reason_check
    check (finish_reason in ('stop', 'length', 'cancelled', 'error', 'not_covered', 'no_model'));
