package io.docqa.chat;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code POST /v1/chat/completions} answers, in OpenAI's shapes: a {@code chat.completion} at once, or
 * {@code chat.completion.chunk}s. {@code sources} is docqa's extension (OpenAI's clients ignore it): the passages the
 * answer cites as [1], [2]... in that order; in a stream it comes with the first chunk.
 */
final class OpenAiCompletion {

    private OpenAiCompletion() {
    }

    record Whole(String id, String object, long created, String model, List<Choice> choices, Usage usage,
            List<Source> sources) {

        Whole(String id, long created, CollectedAnswer.Answer answer) {
            this(id, "chat.completion", created, OpenAiMessages.MODEL,
                    List.of(new Choice(0, new Message("assistant", answer.answer(), null), null, finishReason(answer.finishReason()))),
                    Usage.of(answer.usage()), answer.sources());
        }
    }

    record Choice(int index, Message message, Object logprobs, String finishReason) {
    }

    record Message(String role, String content, String refusal) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices, Usage usage,
            List<Source> sources) {

        Chunk(String id, long created, List<ChunkChoice> choices, Usage usage, List<Source> sources) {
            this(id, "chat.completion.chunk", created, OpenAiMessages.MODEL, choices, usage, sources);
        }
    }

    record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason) {

        ChunkChoice(Delta delta, String finishReason) {
            this(0, delta, null, finishReason);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {
    }

    record Usage(int promptTokens, int completionTokens, int totalTokens) {

        static Usage of(ChatEvent.Usage usage) {
            return new Usage(usage.promptTokens(), usage.completionTokens(), usage.promptTokens() + usage.completionTokens());
        }
    }

    /** docqa's finish reasons in OpenAI's words: {@code not_covered} and {@code no_model} are answers that stopped. */
    static String finishReason(String docqa) {
        return "length".equals(docqa) ? "length" : "stop";
    }
}
