package io.docqa.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hand-written questions that no page of the corpus answers: plainly off-topic ones (cooking, sports, geography,
 * medicine, cars...) and near misses (programming, but not Python).
 */
final class OffTopicQuestions {

    private OffTopicQuestions() {
    }

    static List<String> offTopic() {
        return load("/bench/off-topic-questions.txt");
    }

    static List<String> nearMisses() {
        return load("/bench/near-miss-questions.txt");
    }

    private static List<String> load(String resource) {
        try (InputStream in = OffTopicQuestions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
