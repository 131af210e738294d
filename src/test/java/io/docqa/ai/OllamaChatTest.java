package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.docqa.ai.ChatChunk.Completed;
import io.docqa.ai.ChatChunk.Token;
import io.docqa.ai.LlmException.Kind;
import io.docqa.support.FakeOllama;
import io.docqa.support.ReceivedChat;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The adapter against {@link FakeOllama} over real HTTP: what it streams, how it fails, and that it lets go. */
class OllamaChatTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static final Duration PROBE = Duration.ofSeconds(5);
    private static final List<ChatTurn> QUESTION = List.of(
            ChatTurn.system("Answer from the passages only."), ChatTurn.user("What is the answer?"));

    private static FakeOllama fake;
    private OllamaChat chat;

    @BeforeAll
    static void startFake() {
        fake = FakeOllama.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @AfterEach
    void closeChat() {
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void streamsTokensInOrderWithTheirSpacesThenUsageAndFinishReason() {
        fake.answer("The", " answer", " is", " 42", ".").promptEvalCount(17);
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("The"), new Token(" answer"), new Token(" is"), new Token(" 42"), new Token("."))
                .expectNext(new Completed("stop", 17, 5))
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void streamsEachTokenAsItArrives() {
        fake.answer("slow", " tokens").tokenDelay(Duration.ofMillis(400));
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("slow"))
                .expectNoEvent(Duration.ofMillis(250))
                .expectNext(new Token(" tokens"))
                .expectNextMatches(Completed.class::isInstance)
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void deliversOnTheAdaptersOwnReaderThreadsNotOnSharedPools() {
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).map(chunk -> Thread.currentThread().getName()).as(StepVerifier::create)
                .thenConsumeWhile(thread -> thread.startsWith("ollama-http-"))
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void manyAnswersStreamingAtOnceHoldNoThreadEach() {
        fake.answer(manyTokens()).tokenDelay(Duration.ofMillis(100));
        // 200 answers of 20 s each on a loaded machine may outlast 30 s, and one timeout would end them all
        Duration loaded = Duration.ofMinutes(2);
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, loaded);
        Flux.range(0, 8).flatMap(i -> chat.stream(QUESTION).take(2)).then().as(StepVerifier::create).expectComplete().verify(VERIFY);
        int before = ManagementFactory.getThreadMXBean().getThreadCount();

        AtomicInteger streaming = new AtomicInteger();
        Disposable answers = Flux.range(0, 200)
                .flatMap(i -> chat.stream(QUESTION).switchOnFirst((first, all) -> {
                    streaming.incrementAndGet();
                    return all;
                }), 200)
                .subscribe();
        try {
            await().atMost(loaded).until(() -> streaming.get() == 200);
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(before + 20);
        } finally {
            answers.dispose();
        }
        await().atMost(VERIFY).until(() -> fake.activeAnswers() == 0);
    }

    @Test
    void sendsTheMessagesInOrderWithTheOutputCapAndTemperature() {
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);
        List<ChatTurn> conversation = List.of(ChatTurn.system("Be brief."), ChatTurn.user("Hi"),
                ChatTurn.assistant("Hello."), ChatTurn.assistant(" "), ChatTurn.user("What now?"));

        chat.stream(conversation).then().as(StepVerifier::create).expectComplete().verify(VERIFY);

        ReceivedChat received = fake.lastRequest();
        assertThat(received.model()).isEqualTo("llama3.2:3b");
        assertThat(received.stream()).isTrue();
        assertThat(received.messages()).containsExactly(new ReceivedChat.Turn("system", "Be brief."),
                new ReceivedChat.Turn("user", "Hi"), new ReceivedChat.Turn("assistant", "Hello."),
                new ReceivedChat.Turn("user", "What now?"));
        assertThat(received.option("num_predict")).isEqualTo(1024);
        assertThat(received.option("temperature")).isEqualTo(0.2);
    }

    @Test
    void reportsLengthWhenTheOutputCapCutsTheAnswer() {
        fake.answer("one", " two", " three");
        chat = new OllamaChat(new OllamaProperties(URI.create(fake.baseUrl()), "llama3.2:3b", LONG, LONG, LONG, 2, 0.2, PROBE, true));

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("one"), new Token(" two"))
                .assertNext(done -> assertThat(done).isEqualTo(new Completed("length", 9, 2)))
                .expectComplete()
                .verify(VERIFY);
        assertThat(fake.lastRequest().option("num_predict")).isEqualTo(2);
    }

    @Test
    void sendsNothingUntilSubscribed() {
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        var stream = chat.stream(QUESTION);
        await().during(Duration.ofMillis(200)).atMost(VERIFY).until(() -> fake.requests().isEmpty());

        stream.then().as(StepVerifier::create).expectComplete().verify(VERIFY);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void cancellingMidAnswerClosesTheConnection() {
        fake.answer(manyTokens()).tokenDelay(Duration.ofMillis(100));
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("t0"), new Token(" t1"))
                .thenCancel()
                .verify(VERIFY);

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
        assertThat(fake.activeAnswers()).isZero();
    }

    @Test
    void cancellingBeforeTheFirstTokenClosesTheConnection() {
        fake.firstTokenDelay(LONG);
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        Disposable subscription = chat.stream(QUESTION).subscribe();
        await().atMost(VERIFY).until(() -> fake.requests().size() == 1);
        subscription.dispose();

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
        assertThat(fake.activeAnswers()).isZero();
    }

    @Test
    void cancellingRightAfterSubscribingLeavesNoAnswerRunning() {
        fake.firstTokenDelay(Duration.ofMillis(300));
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).subscribe().dispose();

        // Whether the request left or not, no answer may run, nor run to its end: a request that left is a disconnect,
        // and that holds for twice the time an answer would take.
        await().during(Duration.ofMillis(600)).atMost(VERIFY).untilAsserted(() -> {
            assertThat(fake.activeAnswers()).isZero();
            assertThat(fake.clientDisconnects()).isEqualTo(fake.requests().size());
        });
    }

    @Test
    void noFirstTokenInTimeIsATimeoutThatClosesTheConnection() {
        fake.firstTokenDelay(LONG);
        chat = chat(fake.baseUrl(), "llama3.2:3b", Duration.ofMillis(300), LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .hasMessage("The model sent no first token within 300 ms")
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.TIMEOUT))
                .verify(VERIFY);

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aStallBetweenTokensIsATimeoutThatClosesTheConnection() {
        fake.answer("a", " b", " c").stallAfter(2);
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, Duration.ofMillis(300), LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("a"), new Token(" b"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .hasMessage("The model stalled: no token for 300 ms")
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.TIMEOUT))
                .verify(VERIFY);

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
    }

    /**
     * The stall limit is the model's silence, not its reader's: the model sends its whole answer at once, the reader
     * takes one token and then holds off for two stall limits (a slow client, a busy event loop) before it reads the
     * rest. Measured after the stream's buffer, the limit fired while the answer waited there complete.
     */
    @Test
    void aReaderThatHoldsOffIsNoStallOfTheModel() {
        fake.answer(manyTokens());
        Duration stall = Duration.ofSeconds(1);
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, stall, LONG);

        StepVerifier.create(chat.stream(QUESTION), 1)
                .expectNext(new Token("t0"))
                .then(() -> await().atMost(VERIFY).until(() -> fake.activeAnswers() == 0))
                .expectNoEvent(stall.multipliedBy(2))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(199)
                .expectNextMatches(Completed.class::isInstance)
                .expectComplete()
                .verify(VERIFY);
    }

    @Test
    void anAnswerLongerThanAllowedIsATimeoutThatClosesTheConnection() {
        fake.answer(manyTokens()).tokenDelay(Duration.ofMillis(100));
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, Duration.ofMillis(400), Duration.ofMillis(700));

        chat.stream(QUESTION).as(StepVerifier::create)
                .thenConsumeWhile(Token.class::isInstance)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .hasMessage("The model did not finish its answer within 700 ms")
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.TIMEOUT))
                .verify(VERIFY);

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void anUnknownModelIsModelNotFound() {
        chat = chat(fake.baseUrl(), "nope:1b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.MODEL_NOT_FOUND))
                .verify(VERIFY);
    }

    @Test
    void aServerThatIsNotThereIsUnavailable() throws Exception {
        chat = chat(closedPortUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.UNAVAILABLE))
                .verify(VERIFY);
    }

    @Test
    void anErrorLineMidStreamFailsAfterTheTokensBeforeIt() {
        fake.answer("Par", "tial", " answer").errorAfter(2, "an error was encountered while running the model");
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("Par"), new Token("tial"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.FAILED))
                .verify(VERIFY);
    }

    @Test
    void aServerDyingMidAnswerIsUnavailableAfterTheTokensBeforeIt() {
        fake.answer("Par", "tial", " answer").dropAfter(2);
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(QUESTION).as(StepVerifier::create)
                .expectNext(new Token("Par"), new Token("tial"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(LlmException.class)
                        .extracting(e -> ((LlmException) e).kind()).isEqualTo(Kind.UNAVAILABLE))
                .verify(VERIFY);
    }

    @Test
    void refusesAConversationWithoutText() {
        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.stream(List.of(ChatTurn.user("  "))).as(StepVerifier::create)
                .expectError(IllegalArgumentException.class)
                .verify(VERIFY);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void isAvailableAndHasTheModelWhenOllamaListsIt() {
        fake.models("llama3.2:3b", "mistral:latest");

        chat = chat(fake.baseUrl(), "llama3.2:3b", LONG, LONG, LONG);
        chat.isAvailable().as(StepVerifier::create).expectNext(true).expectComplete().verify(VERIFY);
        chat.hasModel().as(StepVerifier::create).expectNext(true).expectComplete().verify(VERIFY);
        chat.close();

        chat = chat(fake.baseUrl(), "mistral", LONG, LONG, LONG);
        chat.hasModel().as(StepVerifier::create).expectNext(true).expectComplete().verify(VERIFY);
        chat.close();

        chat = chat(fake.baseUrl(), "qwen2.5:0.5b", LONG, LONG, LONG);
        chat.isAvailable().as(StepVerifier::create).expectNext(true).expectComplete().verify(VERIFY);
        chat.hasModel().as(StepVerifier::create).expectNext(false).expectComplete().verify(VERIFY);
    }

    @Test
    void isNotAvailableWhenNothingListens() throws Exception {
        chat = chat(closedPortUrl(), "llama3.2:3b", LONG, LONG, LONG);

        chat.isAvailable().as(StepVerifier::create).expectNext(false).expectComplete().verify(VERIFY);
        chat.hasModel().as(StepVerifier::create).expectNext(false).expectComplete().verify(VERIFY);
    }

    private static OllamaChat chat(String baseUrl, String model, Duration firstToken, Duration stall, Duration answer) {
        return new OllamaChat(new OllamaProperties(URI.create(baseUrl), model, firstToken, stall, answer, 1024, 0.2, PROBE, true));
    }

    private static String[] manyTokens() {
        return IntStream.range(0, 200).mapToObj(i -> (i == 0 ? "t" : " t") + i).toArray(String[]::new);
    }

    private static String closedPortUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
