package io.docqa.ai;

import java.util.List;

import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** The adds of one file to a tenant's collection ({@link TenantVectorIndex#writer}); closed when the file has no more. */
public final class VectorWriter implements AutoCloseable {

    private final TenantId tenant;
    private final ChromaWrites.Writer writer;

    VectorWriter(TenantId tenant, ChromaWrites.Writer writer) {
        this.tenant = tenant;
        this.writer = writer;
    }

    /**
     * From now until it is closed, the adds of other writers to the collection wait a moment for this one's, to go to
     * Chroma in the same call: called once the file is all here, so that a file still arriving delays nobody.
     */
    public void awaited() {
        writer.awaited();
    }

    /** Stores chunks, as {@link TenantVectorIndex#add(TenantId, List)} does. */
    public Mono<Void> add(List<VectorChunk> chunks) {
        return writer.add(TenantVectorIndex.records(tenant, chunks));
    }

    @Override
    public void close() {
        writer.close();
    }
}
