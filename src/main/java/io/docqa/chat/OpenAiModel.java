package io.docqa.chat;

/** A model as {@code GET /v1/models} lists it; {@code created} is not known, so 0. */
record OpenAiModel(String id, String object, long created, String ownedBy) {

    static final OpenAiModel DOCQA = new OpenAiModel(OpenAiMessages.MODEL, "model", 0, "docqa");
}
