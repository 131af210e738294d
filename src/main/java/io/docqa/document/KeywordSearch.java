package io.docqa.document;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Keyword search over the chunks of a tenant's ready documents, with PostgreSQL's full-text search: a chunk matches
 * when it holds any content word of the query (stemmed, stop words dropped), and the chunks are ranked by cover
 * density ({@code ts_rank_cd}). One SQL statement; every row it reads is the tenant's.
 */
@Component
public class KeywordSearch {

    private final DatabaseClient db;
    private final String config;

    KeywordSearch(DatabaseClient db, TextSearchProperties properties) {
        this.db = db;
        this.config = properties.textSearchConfig();
    }

    /** The best {@code limit} chunks for the query, best first; only within {@code documentIds} unless that is empty. */
    public Mono<List<KeywordHit>> search(TenantId tenant, KeywordQuery query, Set<UUID> documentIds, int limit) {
        var spec = db.sql(sql(query.hasEarlier(), !documentIds.isEmpty()))
                .bind("config", config)
                .bind("question", query.question())
                .bind("tenant", tenant.value())
                .bind("limit", limit);
        if (query.hasEarlier()) {
            spec = spec.bind("earlier", query.earlier()).bind("weight", query.earlierWeight());
        }
        if (!documentIds.isEmpty()) {
            spec = spec.bind("ids", documentIds.toArray(UUID[]::new));
        }
        return spec.map(KeywordSearch::hit).all().collectList();
    }

    /** An OR of the words: {@code plainto_tsquery} joins them with AND, which would miss most paraphrases. */
    private static String sql(boolean earlier, boolean someDocuments) {
        String anyWord = "replace(plainto_tsquery(cast(:config as regconfig), %s)::text, ' & ', ' | ')::tsquery";
        return """
                with q as (
                    select %s as now, %s as earlier,
                           tsvector_to_array(to_tsvector(cast(:config as regconfig), %s)) as terms
                ), top as (
                    select c.document_id, c.chunk_index, c.section, c.text, c.search, d.filename, cast(%s as double precision) as rank
                    from q, document_chunks c join documents d on d.id = c.document_id
                    where c.tenant_id = :tenant and d.tenant_id = :tenant and d.status = 'ready'
                      and c.search @@ (q.now || q.earlier) %s
                    order by rank desc, c.document_id, c.chunk_index
                    limit :limit
                )
                select top.document_id, top.chunk_index, top.section, top.text, top.filename, top.rank,
                       cardinality(array(select unnest(q.terms) intersect select unnest(tsvector_to_array(top.search)))) as matched,
                       cardinality(q.terms) as terms
                from top, q
                order by top.rank desc, top.document_id, top.chunk_index
                """.formatted(
                anyWord.formatted(":question"),
                earlier ? anyWord.formatted(":earlier") : "''::tsquery",
                earlier ? ":question || ' ' || :earlier" : ":question",
                earlier ? "ts_rank_cd(c.search, q.now) + :weight * ts_rank_cd(c.search, q.earlier)" : "ts_rank_cd(c.search, q.now)",
                someDocuments ? "and c.document_id = any(:ids)" : "");
    }

    private static KeywordHit hit(Readable row) {
        double rank = row.get("rank", Double.class);
        return new KeywordHit(row.get("document_id", UUID.class), row.get("filename", String.class),
                row.get("chunk_index", Integer.class), row.get("section", String.class), row.get("text", String.class),
                rank / (rank + 1), row.get("matched", Integer.class), row.get("terms", Integer.class));
    }
}
