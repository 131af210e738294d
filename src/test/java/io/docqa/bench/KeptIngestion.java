package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link RetrievalBenchmark} ingested, kept between runs ({@code --reuse}) beside the database and Chroma's data
 * that hold it: the account, the document of each page, the number of chunks, and what the ingestion depended on (the
 * corpus's stamp and the settings that are not read at question time). A run whose corpus or ingestion settings differ
 * ingests again.
 */
record KeptIngestion(String email, Map<String, String> documentIds, long chunks, String corpusStamp,
        Map<String, String> ingestionSettings) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Settings read only when a question is asked: changing them needs no new ingestion. */
    static boolean questionTime(String name) {
        return name.startsWith("docqa.chat.")
                || name.startsWith("docqa.retrieval.") && !name.equals("docqa.retrieval.text-search-config");
    }

    static Map<String, String> ingestionSettings(Map<String, String> settings) {
        Map<String, String> kept = new TreeMap<>(settings);
        kept.keySet().removeIf(KeptIngestion::questionTime);
        return kept;
    }

    static Optional<KeptIngestion> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), KeptIngestion.class));
    }

    boolean fits(String stamp, Map<String, String> settings) {
        return corpusStamp.equals(stamp) && ingestionSettings.equals(ingestionSettings(settings));
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
