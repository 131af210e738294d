package io.docqa.support;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** What {@link FakeOllama} answers; immutable, replaced as a whole so a request always sees one consistent script. */
record FakeOllamaScript(
        Function<ReceivedChat, List<String>> tokens,
        Duration firstTokenDelay,
        Duration tokenDelay,
        Ending ending,
        Set<String> models,
        Integer promptEvalCount) {

    /** How a streamed answer ends: normally, or after some tokens with an error line, a stall, or a dropped connection. */
    record Ending(Kind kind, int afterTokens, String message) {

        enum Kind {
            DONE, ERROR, STALL, DROP
        }

        static final Ending DONE = new Ending(Kind.DONE, Integer.MAX_VALUE, null);
    }

    static FakeOllamaScript initial() {
        return new FakeOllamaScript(chat -> List.of("Hello", ",", " world", "!"), Duration.ZERO, Duration.ZERO,
                Ending.DONE, Set.of("llama3.2:3b"), null);
    }

    boolean knows(String model) {
        return models.contains(model) || (!model.contains(":") && models.contains(model + ":latest"));
    }

    FakeOllamaScript withTokens(Function<ReceivedChat, List<String>> tokens) {
        return new FakeOllamaScript(tokens, firstTokenDelay, tokenDelay, ending, models, promptEvalCount);
    }

    FakeOllamaScript withFirstTokenDelay(Duration delay) {
        return new FakeOllamaScript(tokens, delay, tokenDelay, ending, models, promptEvalCount);
    }

    FakeOllamaScript withTokenDelay(Duration delay) {
        return new FakeOllamaScript(tokens, firstTokenDelay, delay, ending, models, promptEvalCount);
    }

    FakeOllamaScript withEnding(Ending ending) {
        return new FakeOllamaScript(tokens, firstTokenDelay, tokenDelay, ending, models, promptEvalCount);
    }

    FakeOllamaScript withModels(Set<String> names) {
        return new FakeOllamaScript(tokens, firstTokenDelay, tokenDelay, ending, names, promptEvalCount);
    }

    FakeOllamaScript withPromptEvalCount(Integer count) {
        return new FakeOllamaScript(tokens, firstTokenDelay, tokenDelay, ending, models, count);
    }
}
