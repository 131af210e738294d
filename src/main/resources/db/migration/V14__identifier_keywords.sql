-- Keyword search finds API names by their parts as well as whole. PostgreSQL's parser reads a dotted name such as
-- functools.lru_cache or os.path.join as one "host" word ('functools.lru', 'os.path.join'), so a question naming
-- json.loads missed a chunk that says loads() and a chunk saying asyncio.Task.cancel missed "Task.cancel()".
-- identifier_parts lists the dotted names of a text with their dots as spaces; its words are indexed beside the text's
-- own (with the weight of where they stand: the section's are A), and questions are parsed the same way.
create function identifier_parts(body text) returns text
    language sql immutable parallel safe strict
    return (select coalesce(string_agg(replace(m[1], '.', ' '), ' '), '')
            from regexp_matches(body, '([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)', 'g') as m);

-- What a chunk is found by: its section (heading path) at weight A, its text, and the parts of the dotted names of both.
create function chunk_search_vector(config regconfig, section text, body text) returns tsvector
    language sql immutable parallel safe
    return setweight(to_tsvector(config, coalesce(section, '')) || to_tsvector(config, coalesce(identifier_parts(section), '')), 'A')
        || to_tsvector(config, body) || to_tsvector(config, identifier_parts(body));

-- Rows stored before this migration are indexed again, with the default configuration (english).
update document_chunks set search = chunk_search_vector('english', section, text);

-- The words a question is searched by: its own and the parts of its dotted names, less the words that only ask
-- ("Explain ...", "Tell me about ...", "What should I know about ...": request_words, parsed with the same configuration).
create function question_terms(config regconfig, question text, request_words text) returns text[]
    language sql immutable parallel safe
    return tsvector_to_array(ts_delete(to_tsvector(config, question) || to_tsvector(config, identifier_parts(question)),
                                       tsvector_to_array(to_tsvector(config, request_words))));
