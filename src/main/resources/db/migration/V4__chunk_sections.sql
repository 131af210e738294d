alter table document_chunks add column section text;
