package io.docqa.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * Asks every question of a {@link QuestionSet} through {@code POST /api/v1/chat} (JSON answer, {@code top_k} 10) and
 * notes where the right page's document first appears among the sources. Each question is asked twice: as a user would
 * (the service's relevance decision applies) and with {@code min_score} 0 and {@code top_k} 20 (the ranking alone, its
 * top-1 score, and every source, so that the vector and keyword modes' rankings can be fused again offline).
 * Follow-ups are asked in the conversation of their first question (one conversation for each of the two ways), and
 * alone for comparison.
 */
final class RetrievalEvaluator {

    static final int TOP_K = 10;
    /** The ranking alone is asked for as many sources as the service gives (each path's candidates), to be fused again offline. */
    static final int RAW_TOP_K = 20;

    /**
     * What one question got. {@code rank}: 1-based position of the first source from a right page, 0 if none.
     * {@code rawSources}: the sources with {@code min_score} 0.
     */
    record Outcome(String question, String kind, Set<String> pages, boolean refused, String finishReason, int rank,
            double topScore, String topPage, int rawRank, double rawTopScore, List<Found> rawSources) {
    }

    /** A source: the page of its document, its chunk and its score. */
    record Found(String page, int chunk, double score) {
    }

    record Results(List<Outcome> inCorpus, List<Outcome> offTopic, List<Outcome> nearMisses, List<Outcome> followUps,
            List<Outcome> followUpsAlone) {
    }

    private final BenchApi api;
    private final Supplier<String> token;
    private final Map<String, String> documentIds;
    private final Map<String, String> pagesByDocument;

    /** {@code documentIds}: the uploaded document of each corpus page. */
    RetrievalEvaluator(BenchApi api, Supplier<String> token, Map<String, String> documentIds) {
        this.api = api;
        this.token = token;
        this.documentIds = documentIds;
        this.pagesByDocument = documentIds.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
    }

    Results evaluate(QuestionSet questions) {
        List<Outcome> inCorpus = new ArrayList<>();
        for (QuestionSet.Question question : questions.inCorpus()) {
            inCorpus.add(ask(question, null, null));
        }
        List<Outcome> offTopic = new ArrayList<>();
        for (String text : questions.offTopic()) {
            offTopic.add(ask(new QuestionSet.Question(text, "off-topic", Set.of()), null, null));
        }
        List<Outcome> nearMisses = new ArrayList<>();
        for (String text : questions.nearMisses()) {
            nearMisses.add(ask(new QuestionSet.Question(text, "near miss", Set.of()), null, null));
        }
        List<Outcome> followUps = new ArrayList<>();
        List<Outcome> alone = new ArrayList<>();
        for (QuestionSet.FollowUp pair : questions.followUps()) {
            String conversation = api.chat(token.get(), request(pair.first().text(), null, null)).get("conversation_id").asString();
            String rawConversation = api.chat(token.get(), request(pair.first().text(), null, 0.0, RAW_TOP_K)).get("conversation_id").asString();
            followUps.add(ask(pair.followUp(), conversation, rawConversation));
            alone.add(ask(pair.followUp(), null, null));
        }
        return new Results(inCorpus, offTopic, nearMisses, followUps, alone);
    }

    /** Asked as a user would, in {@code conversation}, and with {@code min_score} 0 in {@code rawConversation}. */
    private Outcome ask(QuestionSet.Question question, String conversation, String rawConversation) {
        JsonNode answer = api.chat(token.get(), request(question.text(), conversation, null));
        JsonNode raw = api.chat(token.get(), request(question.text(), rawConversation, 0.0, RAW_TOP_K));
        JsonNode sources = answer.get("sources");
        String finishReason = answer.path("finish_reason").asString("");
        boolean refused = sources.isEmpty() || "not_covered".equals(finishReason);
        JsonNode rawSources = raw.get("sources");
        return new Outcome(question.text(), question.kind(), question.pages(), refused, finishReason,
                refused ? 0 : rank(sources, question.pages()), topScore(sources),
                sources.isEmpty() ? null : pagesByDocument.get(sources.get(0).get("document_id").asString()),
                rank(rawSources, question.pages()), topScore(rawSources), found(rawSources));
    }

    private List<Found> found(JsonNode sources) {
        List<Found> found = new ArrayList<>();
        for (JsonNode source : sources) {
            found.add(new Found(pagesByDocument.get(source.get("document_id").asString()), source.get("chunk_index").asInt(),
                    source.get("score").asDouble()));
        }
        return found;
    }

    private int rank(JsonNode sources, Set<String> pages) {
        Set<String> right = pages.stream().map(documentIds::get).collect(Collectors.toSet());
        for (int i = 0; i < sources.size(); i++) {
            if (right.contains(sources.get(i).get("document_id").asString())) {
                return i + 1;
            }
        }
        return 0;
    }

    private static double topScore(JsonNode sources) {
        return sources.isEmpty() ? Double.NaN : sources.get(0).get("score").asDouble();
    }

    private static Map<String, Object> request(String question, String conversationId, Double minScore) {
        return request(question, conversationId, minScore, TOP_K);
    }

    private static Map<String, Object> request(String question, String conversationId, Double minScore, int topK) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("question", question);
        body.put("top_k", topK);
        if (conversationId != null) {
            body.put("conversation_id", conversationId);
        }
        if (minScore != null) {
            body.put("min_score", minScore);
        }
        return body;
    }
}
