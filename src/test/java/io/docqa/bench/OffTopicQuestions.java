package io.docqa.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Hand-written questions that no page of the corpus answers (cooking, sports, geography, medicine, cars...). */
final class OffTopicQuestions {

    private OffTopicQuestions() {
    }

    static List<String> load() {
        try (InputStream in = OffTopicQuestions.class.getResourceAsStream("/bench/off-topic-questions.txt")) {
            if (in == null) {
                throw new IllegalStateException("No /bench/off-topic-questions.txt on the class path");
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
