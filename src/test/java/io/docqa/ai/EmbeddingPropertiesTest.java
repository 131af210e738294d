package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class EmbeddingPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void defaultsToOneThreadPerCoreABurstOfQuestionsInTheQueueAndTheModelsTrainingLength() {
        context.run(ctx -> {
            EmbeddingProperties properties = ctx.getBean(EmbeddingProperties.class);
            assertThat(properties).isEqualTo(new EmbeddingProperties(0, 2048, 256)).isEqualTo(EmbeddingProperties.defaults());
            assertThat(properties.effectiveThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        });
    }

    @Test
    void bindsFromProperties() {
        context.withPropertyValues("docqa.embedding.threads=3", "docqa.embedding.max-queued-texts=10",
                        "docqa.embedding.max-sequence-length=512")
                .run(ctx -> assertThat(ctx.getBean(EmbeddingProperties.class))
                        .isEqualTo(new EmbeddingProperties(3, 10, 512))
                        .extracting(EmbeddingProperties::effectiveThreads).isEqualTo(3));
    }

    @Test
    void bindsHowTextsAndQuestionsRunTogether() {
        context.withPropertyValues("docqa.embedding.batch-size=4", "docqa.embedding.batch-tokens=512",
                        "docqa.embedding.question-threads=1", "docqa.embedding.batch-questions=false")
                .run(ctx -> assertThat(ctx.getBean(EmbeddingProperties.class)).isEqualTo(
                        new EmbeddingProperties(0, 2048, 256, EmbeddingModel.ALL_MINILM_L6_V2_Q, 4, 512, 1, false)));
        context.withPropertyValues("docqa.embedding.batch-size=0").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Test
    void aSequenceLengthTheModelCannotTakeIsRejectedAtStartUp() {
        context.withPropertyValues("docqa.embedding.max-sequence-length=513").run(ctx -> assertThat(ctx).hasFailed());
        context.withPropertyValues("docqa.embedding.max-sequence-length=8").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Test
    void theInt8ModelByDefaultTheFp32OneByItsName() {
        context.withPropertyValues("docqa.embedding.model=all-minilm-l6-v2")
                .run(ctx -> assertThat(ctx.getBean(EmbeddingProperties.class).model()).isEqualTo(EmbeddingModel.ALL_MINILM_L6_V2));
        context.run(ctx -> assertThat(ctx.getBean(EmbeddingProperties.class).model()).isEqualTo(EmbeddingModel.ALL_MINILM_L6_V2_Q));
    }

    @Test
    void anUnknownModelIsRejectedAtStartUp() {
        context.withPropertyValues("docqa.embedding.model=all-minilm-l12-v2").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Test
    void anEmptyQueueIsRejectedAtStartUp() {
        context.withPropertyValues("docqa.embedding.max-queued-texts=0").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EmbeddingProperties.class)
    static class Config {
    }
}
