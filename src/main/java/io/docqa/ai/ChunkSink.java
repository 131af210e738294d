package io.docqa.ai;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import reactor.core.Disposable;
import reactor.core.publisher.FluxSink;

/**
 * LangChain4j's streaming callbacks, which run on the HTTP client's event loop, pushed into a {@link FluxSink}.
 * After the exchange was disposed nothing more is signalled: the sink is cancelled, and the errors that closing the
 * connection causes are not errors of the answer.
 */
final class ChunkSink implements StreamingChatResponseHandler {

    private static final Logger log = LoggerFactory.getLogger(ChunkSink.class);

    private final FluxSink<ChatChunk> sink;
    private final Disposable exchange;
    private final String model;

    ChunkSink(FluxSink<ChatChunk> sink, Disposable exchange, String model) {
        this.sink = sink;
        this.exchange = exchange;
        this.model = model;
    }

    @Override
    public void onPartialResponse(String token) {
        sink.next(new ChatChunk.Token(token));
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        sink.next(new ChatChunk.Completed(finishReason(response.finishReason()),
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount()));
        sink.complete();
    }

    @Override
    public void onError(Throwable error) {
        if (!exchange.isDisposed()) {
            LlmException failure = LlmErrors.from(error, model);
            log.warn("Chat model {} failed ({}): {}", model, failure.kind(), error.toString());
            sink.error(failure);
        }
    }

    private static String finishReason(FinishReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }
}
